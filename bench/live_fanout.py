"""Fan-out of live meeting events: COP's live server against a bare websockets floor and Flask-SocketIO.

For N clients in one public meeting, a chair issues commands. Printed per server and pass: p50/p99 of the time
from the command sent to the LAST client receiving its event (commands one at a time), the rate of a burst of
commands fully delivered, the servers' memory per connection (RSS growth / N), the connections dropped, and the
machine's load average; then the median of the passes beside the goals. COP's events are committed rows (SQLite
WAL, or PostgreSQL with --database-url, where `N:P` spreads the clients over P live processes joined by the
LISTEN/NOTIFY bus, the chair on the first). `--realistic` seeds 166 parties, a speakers' list and a draft text.
A server that fails a pass (time-out, refused connections) is recorded as failed; every other result is kept.

    python bench/live_fanout.py [--clients 100,500,1000,2000:2,5000:2] [--commands 100] [--burst 200]
        [--repeat 3] [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/<scratch>] [--realistic]
        [--no-peer] [--no-floor]
"""
import argparse
import asyncio
import os
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cwatch  # noqa: E402
from bench.fanout_client import SEQ, Tally, open_client  # noqa: E402
from bench.fanout_targets import EVENT, Bare, Cop, SocketIO  # noqa: E402
from bench.fanout_report import report  # noqa: E402

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def wait_port(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


async def connect_all(target, ports: list, n: int, tally: Tally, dropped: list) -> list:
    """Open n watchers (100 handshakes at a time, spread over the ports) and wait until each has joined the room."""
    joined = asyncio.get_running_loop().create_future()
    count = [0]

    def enter(client):
        client.in_room = True
        count[0] += 1
        if count[0] == n and not joined.done():
            joined.set_result(None)

    def on_text(client, text: bytes):
        if not client.in_room:
            if target.joined(client, text):
                enter(client)
            return
        if EVENT in text:  # one event, or several delivered together (a JSON array of events)
            for found in SEQ.finditer(text):
                tally.received(client, int(found.group(1)))
        elif text == b"2":
            client.send_text("3")

    gate = asyncio.Semaphore(100)

    async def one(k):
        async with gate:
            client = await open_client(HOST, ports[k % len(ports)], target.path, on_text)
            client.on_lost = lambda _restart: dropped.append(1)
            client.in_room = False
            target.hello(client, chair=False)
            if not target.greets:
                enter(client)
            return client

    clients = await asyncio.gather(*(one(k) for k in range(n)))
    await asyncio.wait_for(joined, 60 + n / 50)
    return clients


async def join_chair(target, port: int):
    """The chair's connection and the last seq it saw when it joined."""
    joined = asyncio.get_running_loop().create_future()

    def on_chair(client, text):
        if not client.in_room and target.joined(client, text):
            client.in_room = True
            found = SEQ.search(text)
            joined.done() or joined.set_result(int(found.group(1)) if found else 0)
        elif text == b"2":
            client.send_text("3")

    chair = await open_client(HOST, port, target.path, on_chair)
    target.hello(chair, chair=True)
    if not target.greets:
        chair.in_room = True
        joined.set_result(0)
    return chair, await asyncio.wait_for(joined, 10)


async def measure(target, n: int, commands: int, burst: int, client: str = "python") -> dict:
    """One server, n clients: memory per connection, sequential latency, burst rate, connections dropped.
    client: "python" (bench/fanout_client.py, in this process) or "c" (bench/cwatch.c, a process of its own)."""
    port = free_port()
    target.start(port, tuple(free_port() for _ in range(7)))
    watchers = None
    try:
        for p in target.ports:
            await wait_port(p)
        chair, seq = await join_chair(target, port)
        for _ in range(5):  # warm the server up (threads, caches) before measuring its memory
            seq += 1
            chair.send_text(target.command(seq))
        await asyncio.sleep(1.5)
        before = sum(rss_kb(pid) for pid in target.rss_pids())
        tally, dropped, clients = Tally(n), [], []
        if client == "c":
            watchers = cwatch.Watchers([f"ws://{HOST}:{p}{target.path}" for p in target.ports], n,
                                       getattr(target, "meeting", 0) if target.greets else 0)
            await watchers.start(60 + n / 50)
            tally = watchers
        else:
            clients = await connect_all(target, target.ports, n, tally, dropped)
        await asyncio.sleep(1.0 + n / 1000)
        per_conn = (sum(rss_kb(pid) for pid in target.rss_pids()) - before) / n
        latencies = []
        for k in range(5 + commands):
            seq += 1
            done = tally.wait_for(seq)
            started = time.perf_counter()
            chair.send_text(target.command(seq))
            try:
                last = await asyncio.wait_for(done, 30)
            except (asyncio.TimeoutError, TimeoutError):
                raise RuntimeError(f"command {k}: not every client had its event after 30 s, "
                                   f"{len(dropped)} connections dropped") from None
            if k >= 5:
                latencies.append((last - started) * 1000)
        started = time.perf_counter()
        for _ in range(burst):
            seq += 1
            chair.send_text(target.command(seq))
        last = await asyncio.wait_for(tally.wait_for(seq), 60)
        rate = burst / (last - started)
        if watchers is not None:
            totals = await watchers.finish()
            disorder, lost = totals["gaps"] + totals["duplicates"], totals["server_closes"]
        else:
            disorder, lost = tally.disorder, len(dropped)
        if disorder:
            raise RuntimeError(f"{disorder} events out of order (a gap or a duplicate) at the watchers")
        for one in [*clients, chair]:
            one.on_lost = None
            one.transport.close()
        latencies.sort()
        return {"p50": statistics.median(latencies), "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
                "rate": rate, "kb": per_conn, "dropped": lost}
    finally:
        if watchers is not None:
            watchers.kill()
        target.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000,2000", help="N or N:P (P live processes) per size")
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="passes per server and N (median reported)")
    parser.add_argument("--database-url", default="", help="PostgreSQL scratch database (its schema is dropped)")
    parser.add_argument("--realistic", action="store_true", help="166 parties, a speakers' list and a text")
    parser.add_argument("--no-peer", action="store_true", help="skip Flask-SocketIO")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare websockets floor")
    parser.add_argument("--client", choices=("c", "python"), default="c",
                        help="the watchers: c (bench/cwatch.c, a few µs a message, in a process of its own; needs cc "
                             "and libssl-dev) or python (bench/fanout_client.py, in the bench's process, 12 µs a "
                             "message; the only one that speaks Socket.IO)")
    args = parser.parse_args()
    if args.client == "c" and not cwatch.available():
        parser.error("the C watchers cannot be built here (cc and libssl-dev): use --client python")
    peer = SocketIO.available() and not args.no_peer
    if peer and args.client == "c":
        print("Flask-SocketIO is measured with the Python client only (--client python): left out.")
        peer = False
    if not peer and not args.no_peer:
        print("Flask-SocketIO absent (pip install -r requirements-bench.txt): measured against the floor only.")
    sizes = [(int(x.split(":")[0]), int(x.split(":")[1]) if ":" in x else 1) for x in args.clients.split(",")]
    results = {}
    for n, lives in sizes:
        kinds = [("cop", lambda: Cop(args.database_url, args.realistic, lives))]
        if lives == 1 and not args.no_floor:
            kinds.append(("floor", Bare))
        if lives == 1 and peer:
            kinds.append(("peer", SocketIO))
        for _ in range(args.repeat):  # servers take turns, so a burst of load on the machine hits all of them
            for key, make in kinds:
                load = os.getloadavg()[0]
                try:
                    target = make()
                    figures = await asyncio.wait_for(measure(target, n, args.commands, args.burst, args.client),
                                                     300 + n / 20)
                except Exception as error:  # noqa: BLE001 — one failed pass is recorded, the others are kept
                    figures = {"failed": f"{type(error).__name__}: {str(error)[:120]}"}
                figures["load"] = load
                results.setdefault((key, n, lives), []).append(figures)
                label = f"{dict(cop='COP', floor='bare websockets', peer='Flask-SocketIO')[key]} N={n} P={lives}"
                if "failed" in figures:
                    print(f"{label:<34} FAILED ({figures['failed']})  load {load:.1f}", flush=True)
                else:
                    print(f"{label:<34} p50 {figures['p50']:6.1f} ms  p99 {figures['p99']:6.1f} ms  "
                          f"{figures['rate']:6.0f} cmd/s  {figures['kb']:5.1f} kB/conn  dropped {figures['dropped']}"
                          f"  load {load:.1f}", flush=True)
    print()
    print(report(results, args))


if __name__ == "__main__":
    asyncio.run(main())
