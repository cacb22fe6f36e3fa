"""Fan-out of live meeting events: COP's live server against a bare websockets floor and Flask-SocketIO.

For N clients (default 100, 500, 1,000, 2,000) in one public meeting, a chair issues commands. Printed per server:
p50/p99 of the time from the command sent to the LAST client receiving its event (commands one at a time), the
rate of a burst of commands fully delivered, and the server's memory per connection (RSS growth / N). COP's events
are committed SQLite rows (WAL); the floor and Flask-SocketIO only relay. Loopback only; every wait is bounded.

    python bench/live_fanout.py [--clients 100,500,1000,2000] [--commands 100] [--burst 200] [--repeat 3]
                                [--write-docs]
"""
import argparse
import asyncio
import socket
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fanout_client import SEQ, Tally, open_client  # noqa: E402
from bench.fanout_targets import EVENT, Bare, Cop, SocketIO  # noqa: E402
from bench.fanout_report import report, write_docs  # noqa: E402

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


async def wait_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection(HOST, port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


async def connect_all(target, port: int, n: int, tally: Tally) -> list:
    """Open n watchers (100 handshakes at a time) and wait until each has joined the room."""
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
        if EVENT in text:
            tally.seen(int(SEQ.search(text).group(1)))
        elif text == b"2":
            client.send_text("3")

    gate = asyncio.Semaphore(100)

    async def one():
        async with gate:
            client = await open_client(HOST, port, target.path, on_text)
            client.in_room = False
            target.hello(client, chair=False)
            if not target.greets:
                enter(client)
            return client

    clients = await asyncio.gather(*(one() for _ in range(n)))
    await asyncio.wait_for(joined, 60)
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


async def measure(target, n: int, commands: int, burst: int) -> dict:
    """One server, n clients: memory per connection, sequential latency, burst rate."""
    port = free_port()
    target.start(port)
    try:
        await wait_port(port)
        chair, seq = await join_chair(target, port)
        for _ in range(5):  # warm the server up (threads, caches) before measuring its memory
            seq += 1
            chair.send_text(target.command(seq))
        await asyncio.sleep(1.5)
        before = rss_kb(target.rss_pid())
        tally = Tally(n)
        clients = await connect_all(target, port, n, tally)
        await asyncio.sleep(1.0 + n / 1000)
        per_conn = (rss_kb(target.rss_pid()) - before) / n
        latencies = []
        for k in range(5 + commands):
            seq += 1
            done = tally.wait_for(seq)
            started = time.perf_counter()
            chair.send_text(target.command(seq))
            last = await asyncio.wait_for(done, 10)
            if k >= 5:
                latencies.append((last - started) * 1000)
        started = time.perf_counter()
        for _ in range(burst):
            seq += 1
            chair.send_text(target.command(seq))
        last = await asyncio.wait_for(tally.wait_for(seq), 60)
        rate = burst / (last - started)
        for client in [*clients, chair]:
            client.transport.close()
        latencies.sort()
        return {"p50": statistics.median(latencies), "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
                "rate": rate, "kb": per_conn}
    finally:
        target.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000,2000")
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="runs per server and N (best and median reported)")
    parser.add_argument("--no-peer", action="store_true", help="skip Flask-SocketIO")
    parser.add_argument("--write-docs", action="store_true", help="write the figures to docs/PERFORMANCE.md")
    args = parser.parse_args()
    kinds = [Cop, Bare] + ([SocketIO] if SocketIO.available() and not args.no_peer else [])
    if SocketIO not in kinds and not args.no_peer:
        print("Flask-SocketIO absent (pip install -r requirements-bench.txt) : comparaison au plancher seulement.")
    results = {}
    for n in [int(x) for x in args.clients.split(",")]:
        for _ in range(args.repeat):  # servers take turns, so a burst of load on the machine hits all of them
            for kind in kinds:
                figures = await asyncio.wait_for(measure(kind(), n, args.commands, args.burst), 300)
                results.setdefault((kind.name, n), []).append(figures)
                print(f"{kind.name:<26} N={n:>5}  p50 {figures['p50']:7.1f} ms  p99 {figures['p99']:7.1f} ms  "
                      f"{figures['rate']:7.0f} commandes/s  {figures['kb']:6.1f} ko/connexion", flush=True)
    text = report(results, [k.name for k in kinds], args)
    print()
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    asyncio.run(main())
