"""The benches' watchers in C (bench/cwatch.c): built once per version of the source, driven through a pipe.

A Python watcher costs 12 µs (plain, bench/fanout_client.py) to 80–90 µs (TLS, bench/plenary_watchers.py) of CPU per
message; the C one a few µs. On the 2-core machine the benches run on, the measuring clients then no longer take
the processor from the servers they measure in the milliseconds of a delivery.

`binary()` compiles it with the machine's C compiler and OpenSSL (Debian: gcc, libssl-dev) into
`~/.cache/cop-bench` (or `$COP_BENCH_CACHE`); `Watchers` runs one such process from asyncio (the fan-out bench);
`bench/plenary_watchers.py` drives it from a watcher process of the plenary bench.
"""
import asyncio
import hashlib
import json
import os
import shutil
import struct
import subprocess
from array import array
from pathlib import Path

SOURCE = Path(__file__).with_name("cwatch.c")


def binary() -> str:
    """The path of the compiled client (built now if this version of the source has not been)."""
    digest = hashlib.sha256(SOURCE.read_bytes()).hexdigest()[:16]
    cache = Path(os.environ.get("COP_BENCH_CACHE") or Path.home() / ".cache" / "cop-bench")
    target = cache / f"cwatch-{digest}"
    if target.exists():
        return str(target)
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is None:
        raise RuntimeError("bench/cwatch.c needs a C compiler and OpenSSL's headers (Debian: gcc libssl-dev); "
                           "or run the bench with its Python watchers")
    cache.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f"{target.name}.{os.getpid()}")
    done = subprocess.run([compiler, "-O2", "-o", str(building), str(SOURCE), "-lssl", "-lcrypto"],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError("building bench/cwatch.c failed:\n" + done.stderr[-2000:])
    os.replace(building, target)
    return str(target)


def available() -> bool:
    try:
        binary()
    except RuntimeError:
        return False
    return True


def arguments(urls: list[str], count: int, meeting: int = 0, origin: str = "", reload_share: float = 0.0,
              page: str = "", out: str = "", notify: bool = False) -> list[str]:
    """The command line (see bench/cwatch.c): meeting 0 sends no hello (a client is in at its handshake)."""
    args = [binary(), "--count", str(count), "--meeting", str(meeting)]
    for url in urls:
        args += ["--url", url]
    if origin:
        args += ["--origin", origin]
    if page and reload_share > 0:
        args += ["--reload-share", str(reload_share), "--page", page]
    if out:
        args += ["--out", out]
    return args + (["--notify"] if notify else [])


def read_arrivals(path: str) -> dict[int, array]:
    """Every event's arrival times (epoch seconds), from the file the client wrote."""
    data, at, found = Path(path).read_bytes(), 0, {}
    while at < len(data):
        seq, n = struct.unpack_from("=qq", data, at)
        at += 16
        times = array("d")
        times.frombytes(data[at:at + 8 * n])
        found[seq] = times
        at += 8 * n
    return found


class Watchers:
    """count C watchers of the given URLs, from asyncio: `ready` once all are in the room, `wait_for(seq)` the
    time.perf_counter() at which the last of them received seq, `finish()` their totals (gaps, duplicates,
    connections closed by the server…)."""

    def __init__(self, urls: list[str], count: int, meeting: int = 0):
        self.urls, self.count, self.meeting = urls, count, meeting
        self.done: dict[int, asyncio.Future] = {}
        self.last: dict[int, float] = {}
        self.proc = None
        self.ready = self.totals = self.reader = None

    async def start(self, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        self.ready, self.totals = loop.create_future(), loop.create_future()
        self.proc = await asyncio.create_subprocess_exec(
            *arguments(self.urls, self.count, self.meeting, notify=True), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE)
        self.reader = asyncio.create_task(self._read())
        await asyncio.wait_for(asyncio.shield(self.ready), timeout)

    async def _read(self) -> None:
        async for raw in self.proc.stdout:
            line = raw.decode()
            if line.startswith("all "):
                _, seq, at = line.split()
                self.last[int(seq)] = float(at)
                future = self.done.get(int(seq))
                if future is not None and not future.done():
                    future.set_result(float(at))
            elif line.startswith("ready "):
                self.ready.done() or self.ready.set_result(None)
            elif line.startswith("{"):
                self.totals.done() or self.totals.set_result(json.loads(line))
        for future in (self.ready, self.totals):
            if not future.done():
                future.set_exception(RuntimeError(f"the C watchers exited ({await self.proc.wait()})"))

    def wait_for(self, seq: int) -> asyncio.Future:
        future = self.done.setdefault(seq, asyncio.get_running_loop().create_future())
        if seq in self.last and not future.done():
            future.set_result(self.last[seq])
        return future

    async def finish(self) -> dict:
        """Their totals; the process has exited."""
        if self.proc.returncode is None:
            self.proc.stdin.write(b"end\n")
            await self.proc.stdin.drain()
        totals = await asyncio.wait_for(self.totals, 30)
        await self.proc.wait()
        return totals

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
