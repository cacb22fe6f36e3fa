"""The plenary bench's citizens: 2,000 watchers of the public broadcast in a few processes of their own, so that the
clients' CPU is not the room's, each watcher a small TLS WebSocket client that costs little per message.

By default they are C (bench/cwatch.c, driven by `watch_c`): a few µs of CPU per message. The Python watchers below
(`watch`, `--watcher-client python`) took about 55 % of a core on the 2 cores the servers ran on, and their
decryption of each message competed with nginx's encryption of it (28 November 2026, fourth session).

The watchers first used the tests' `Resilient` client (the `websockets` library, TLS through nginx): about 90 µs of
CPU per message received, so that a vote's messages to 2,000 watchers needed more of this 2-core machine's CPU than
the servers did, and the watchers' own event loops lagged 100–200 ms behind the events (28 November 2026). `Watcher`
reads each connection with the fan-out bench's client (bench/fanout_client.py: one shared buffer), over TLS, takes an
event's seq from the head of its frame (`{"type":"event","seq":N,…`, the live server's key order) without parsing
the rest, and from each frame's head in an array of events delivered together; otherwise it behaves as the page's
client does: hello with the last seq, a snapshot or the missed events, no gap and no duplicate allowed, back to
another live process after a close, a snapshot after a reload of the page.
"""
import asyncio
import json
import random
import ssl as ssl_module
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import urlsplit

from bench.fanout_client import WSClient

EVENT_HEAD, SNAPSHOT_HEAD, WELCOME_HEAD = b'{"type":"event","seq":', b'{"type":"snapshot","seq":', \
    b'{"type":"welcome","seq":'


def head_seq(payload: bytes, head: bytes) -> int:
    """The seq that follows a frame's head."""
    end = payload.index(b",", len(head))
    return int(payload[len(head):end])


class _Connection(WSClient):
    """One TLS WebSocket connection (the fan-out bench's client, with an Origin as a page sends it), handing the
    server's messages to its watcher; `closed` resolves with the close code the server sent."""

    def __init__(self, watcher: "Watcher", host: str, port: int, path: str, origin: str):
        super().__init__(host, port, path, lambda _client, payload: watcher.message(payload))
        self.request = self.request[:-2] + f"Origin: {origin}\r\n\r\n".encode()
        self.closed = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc):
        super().connection_lost(exc)
        if not self.closed.done():
            self.closed.set_result(self.close_code)


class Watcher:
    """A citizen following the broadcast: its event stream must stay gapless and duplicate-free across
    reconnections and reloads. The attributes the bench reads are those of tests/live/resilient.py's client."""

    def __init__(self, urls: list[str], meeting_id: int, origin: str, context: ssl_module.SSLContext, start: int = 0,
                 open_timeout: float = 60):
        self.urls, self.at, self.meeting_id, self.origin, self.context = urls, start, meeting_id, origin, context
        self.open_timeout = open_timeout
        self.seq: Optional[int] = None
        self.gaps: list[tuple[int, int]] = []
        self.duplicates = self.snapshots = self.events = self.messages = self.connections = self.failures = 0
        self.close_codes: list[Optional[int]] = []
        self.errors: list[str] = []
        self.synced = asyncio.Event()
        self.stopped = False
        self.connection: Optional[_Connection] = None
        self.on_event: Optional[Callable[[int], None]] = None

    def message(self, payload: bytes) -> None:
        """One message from the live server: a frame, or an array of event frames."""
        self.messages += 1
        if payload.startswith(EVENT_HEAD):
            self.event(head_seq(payload, EVENT_HEAD))
        elif payload.startswith(b"["):  # events delivered together: each frame's head, in order
            at = payload.find(EVENT_HEAD)
            while at >= 0:
                self.event(head_seq(payload[at:at + 48], EVENT_HEAD))
                at = payload.find(EVENT_HEAD, at + len(EVENT_HEAD))
        elif payload.startswith(SNAPSHOT_HEAD):
            self.snapshots += 1
            self.seq = head_seq(payload, SNAPSHOT_HEAD)
            self.synced.set()
        elif payload.startswith(WELCOME_HEAD):
            self.synced.set()
        elif payload.startswith(b'{"type":"error"'):
            self.errors.append(json.loads(payload).get("code", "?"))

    def event(self, seq: int) -> None:
        """An event: it must follow the last seq exactly."""
        if self.seq is not None and seq <= self.seq:
            self.duplicates += 1
            return
        if self.seq is not None and seq != self.seq + 1:
            self.gaps.append((self.seq, seq))
        self.seq = seq
        self.events += 1
        if self.on_event is not None:
            self.on_event(seq)

    async def run(self) -> None:
        """Connect, say hello, follow; come back (another live process, after a pause) whenever the line closes."""
        loop = asyncio.get_running_loop()
        while not self.stopped:
            url = urlsplit(self.urls[self.at % len(self.urls)])
            connection = None
            try:
                _, connection = await asyncio.wait_for(loop.create_connection(
                    lambda: _Connection(self, url.hostname, url.port, url.path, self.origin), url.hostname, url.port,
                    ssl=self.context, server_hostname=url.hostname), self.open_timeout)
                await asyncio.wait_for(connection.ready, self.open_timeout)
                self.connection = connection
                self.connections += 1
                if self.stopped:
                    break
                connection.send_text(json.dumps({"type": "hello", "meeting": self.meeting_id, "since": self.seq}))
                self.close_codes.append(await connection.closed)
            except (OSError, ConnectionError, asyncio.TimeoutError, TimeoutError, ssl_module.SSLError):
                if connection is not None and connection.transport is not None:
                    connection.transport.abort()
            failed = not self.synced.is_set()
            self.synced.clear()
            self.connection = None
            if not self.stopped:
                self.at += 1
                self.failures = self.failures + 1 if failed else 0
                await asyncio.sleep(min(2.0, 0.05 * 2 ** max(0, self.failures - 1)))

    def close(self) -> None:
        """Close the connection (a page reload: run() comes back with a fresh snapshot if seq was reset)."""
        if self.connection is not None and self.connection.transport is not None:
            self.connection.close_code = 1000  # closed by this side, as a page leaving does
            self.connection.transport.close()

    def abort(self) -> None:
        """Leave for good at once, without the closing handshake."""
        self.stopped = True
        if self.connection is not None and self.connection.transport is not None:
            self.connection.transport.abort()


# The watcher processes. -----------------------------------------------------------------------------------------

def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def lag_monitor(lags: list[float], every: float = 0.1, stalls: list | None = None) -> None:
    """How late this event loop wakes up from a short sleep: a busy or starved client process shows here, and its
    late readings would be charged to the server otherwise. With `stalls`, a watchdog thread records where the loop
    was (its innermost frames) whenever it has not woken for over a second."""
    loop = asyncio.get_running_loop()
    tick = [time.monotonic()]
    if stalls is not None:
        threading.Thread(target=watchdog, args=(threading.main_thread().ident, tick, stalls), daemon=True).start()
    while True:
        began = loop.time()
        await asyncio.sleep(every)
        lags.append(loop.time() - began - every)
        tick[0] = time.monotonic()


def watchdog(ident: int, tick: list, stalls: list, limit: float = 1.0) -> None:
    """Samples the main thread's stack while its loop is stalled; keeps the first 20 stalls."""
    import traceback

    seen = None
    while len(stalls) < 20:
        time.sleep(0.25)
        late = time.monotonic() - tick[0]
        if late > limit and seen != tick[0]:
            seen = tick[0]
            frame = sys._current_frames().get(ident)
            where = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in traceback.extract_stack(frame)[-4:]] \
                if frame is not None else []
            stalls.append({"at_s": round(time.time(), 1), "late_s": round(late, 1), "where": where,
                           "cpu_s": round(time.process_time(), 1)})


def lag_summary(lags: list[float]) -> dict:
    return {"p50_ms": round(percentile(lags, .5) * 1000, 1), "p99_ms": round(percentile(lags, .99) * 1000, 1),
            "max_ms": round(max(lags, default=float("nan")) * 1000, 1)}


def watch(urls, meeting_id, count, reload_share, base, stop, out, ready, loop="uvloop"):
    """count watchers; hands back (through out) every event's arrival times, gaps, final seqs, reloads and errors,
    BEFORE closing its connections, and a failure report if anything in it raises. loop: "uvloop" (TLS records
    decrypted in C) or "asyncio" (the standard loop, whose TLS layer is Python)."""
    try:
        _watch(urls, meeting_id, count, reload_share, base, stop, out, ready, loop)
    except BaseException as error:  # noqa: BLE001 — the parent prints why this process measured nothing
        import traceback

        out.put({"failed": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-2000:],
                 "clients": count})
        ready.set()


def _watch(urls, meeting_id, count, reload_share, base, stop, out, ready, loop):
    from array import array

    from tests.deploy_stack import get, insecure

    arrivals: dict[int, list[float]] = {}
    stats = {"reloads": 0, "errors": [], "http": 0, "phases": {}}

    def record(seq: int) -> None:
        arrivals.setdefault(seq, []).append(time.time())

    def stop_at() -> float:
        return stop.value or float("inf")  # 0 until the room is in and the plenary starts

    async def reloading(client: Watcher):
        """Now and then: close, load the page through nginx, come back with a fresh snapshot."""
        while time.time() < stop_at() - 8:
            await asyncio.sleep(random.uniform(8, 20))
            if time.time() >= stop_at() - 8:
                break
            try:
                status = (await asyncio.to_thread(get, f"{base}/meetings/{meeting_id}", 20))[0]
            except OSError as error:
                status = f"{type(error).__name__}: {error}"
            stats["http"] += 1
            if status != 200:
                stats["errors"].append(f"page {status}")
            stats["reloads"] += 1
            client.seq = None  # a reloaded page knows nothing: snapshot
            client.close()

    async def main():
        context = insecure()
        # A generous opening time-out: on a starved machine a 5 s one made clients give up handshakes that were
        # nearly done and start new ones (TLS and all), a storm in which 5,000 watchers never got in.
        clients = [Watcher(urls, meeting_id, base, context, start=n, open_timeout=60) for n in range(count)]
        for client in clients:
            client.on_event = record
        tasks = []
        for first in range(0, count, 100):  # 100 handshakes at a time, as bench/live_fanout.py does
            group = clients[first:first + 100]
            tasks += [asyncio.create_task(client.run()) for client in group]
            try:
                await asyncio.wait_for(asyncio.gather(*(c.synced.wait() for c in group)), 60)
            except (asyncio.TimeoutError, TimeoutError):
                pass  # counted below
        try:
            await asyncio.wait_for(asyncio.gather(*(c.synced.wait() for c in clients)), 600)
        except (asyncio.TimeoutError, TimeoutError):
            stats["errors"].append(f"{sum(1 for c in clients if not c.synced.is_set())} watchers never connected")
        ready.set()
        while not stop.value:
            await asyncio.sleep(0.1)
        reloaders = [asyncio.create_task(reloading(c)) for c in clients[:int(count * reload_share)]]
        lags: list[float] = []
        monitor = asyncio.create_task(lag_monitor(lags, stalls=stats["phases"].setdefault("stalls", [])))
        cpu_before, began = time.process_time(), time.time()
        while time.time() < stop_at():
            await asyncio.sleep(0.2)
        monitor.cancel()
        stats["phases"]["cpu_percent"] = round((time.process_time() - cpu_before) / (time.time() - began) * 100, 1)
        stats["phases"]["loop_lag"] = lag_summary(lags)
        await asyncio.gather(*reloaders, return_exceptions=True)
        # The parent sets the last seq once the room has left: wait for it WITHOUT blocking this loop (a
        # time.sleep here froze 1,000 connections: no reads, no pongs, for as long as the room took to leave).
        ended = time.time()
        while out.last.value < 0:
            await asyncio.sleep(0.1)
        last = out.last.value
        stats["phases"]["waited_for_last_s"] = round(time.time() - ended, 1)
        caught = time.time()
        while any(c.seq != last for c in clients) and time.time() < caught + 30:
            await asyncio.sleep(0.1)
        stats["phases"]["catch_up_s"] = round(time.time() - caught, 1)
        refused = Counter(code for c in clients for code in c.errors)
        if refused:
            stats["errors"].append(f"refusals: {dict(refused)}")
        # The figures first: they must not wait for 1,000 closing handshakes.
        out.put({"arrivals": {seq: array("d", times) for seq, times in arrivals.items()},
                 "reloads": stats["reloads"], "errors": stats["errors"], "http": stats["http"],
                 "gaps": sum(len(c.gaps) for c in clients), "duplicates": sum(c.duplicates for c in clients),
                 "behind": sum(1 for c in clients if c.seq != last), "clients": len(clients),
                 "connected_at_end": sum(1 for c in clients if c.synced.is_set()),
                 "connections": sum(c.connections for c in clients), "phases": stats["phases"],
                 "events_received": sum(c.events for c in clients), "messages": sum(c.messages for c in clients),
                 # closes other than the reloads' own (1000): 1013 = refused "unavailable", 1011 = ping time-out…
                 "closed_by": dict(Counter(str(code) for c in clients for code in c.close_codes if code != 1000))})
        for client in clients:
            client.abort()
        await asyncio.wait(tasks, timeout=20)

    if loop == "uvloop":
        import uvloop

        uvloop.run(main())
    else:
        asyncio.run(main())


def watch_c(urls, meeting_id, count, reload_share, base, stop, out, ready, loop="uvloop"):
    """The same watchers as `watch` (same arguments, same figures handed back), in C: one process of
    bench/cwatch.c driven from this one. loop is unused."""
    try:
        _watch_c(urls, meeting_id, count, reload_share, base, stop, out, ready)
    except BaseException as error:  # noqa: BLE001 — the parent prints why this process measured nothing
        import traceback

        out.put({"failed": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()[-2000:],
                 "clients": count})
        ready.set()


def _watch_c(urls, meeting_id, count, reload_share, base, stop, out, ready):
    import os
    import queue
    import subprocess
    import tempfile

    from bench import cwatch

    handle, arrivals_file = tempfile.mkstemp(prefix="cwatch-", suffix=".bin")
    os.close(handle)
    proc = subprocess.Popen(cwatch.arguments(urls, count, meeting_id, origin=base, reload_share=reload_share,
                                             page=f"{base}/meetings/{meeting_id}", out=arrivals_file),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)],
                     daemon=True).start()
    errors: list[str] = []
    try:
        try:
            line = lines.get(timeout=600)
        except queue.Empty:
            line = None
            errors.append("the C watchers were not all connected after 600 s")
        if line is None and not errors:
            raise RuntimeError(f"the C watchers exited ({proc.wait()}) before all were connected")
        ready.set()
        while not stop.value:
            time.sleep(0.1)
        proc.stdin.write(f"reload {stop.value}\n")
        while time.time() < stop.value or out.last.value < 0:
            time.sleep(0.1)
        proc.stdin.write(f"last {out.last.value}\n")
        totals = None
        while totals is None:
            line = lines.get(timeout=120)
            if line is None:
                raise RuntimeError(f"the C watchers exited ({proc.wait()}) without their figures")
            if line.startswith("{"):
                totals = json.loads(line)
        proc.wait(30)
        totals["errors"] = errors + totals["errors"]
        totals["arrivals"] = cwatch.read_arrivals(arrivals_file)
        out.put(totals)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.unlink(arrivals_file)
