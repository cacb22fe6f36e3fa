"""Where the time of a live fan-out goes: one pass of bench/live_fanout.py with timestamps inside the live processes.

For each of the sequential commands (the chair's, one at a time): frame sent → read by the live server → in the
writer thread → committed (the command's transaction) → delivery begun and ended (the fan-out to this process's
watchers); with two processes, the other one's notification, delivery and end; then the bench's client reading the
frames (until its last watcher has the event), and when the last watcher of each live process had it. Printed as
p50 / p90 / p99 per stage, with the CPU of the transaction and of each delivery (thread time), the CPU per command of
the live processes and of the bench's client, and the collector's pauses. The live processes load
bench/fanout_trace/sitecustomize.py through PYTHONPATH.

    python bench/fanout_breakdown.py --clients 1000 [--commands 100] --database-url postgresql+psycopg://…
        [--realistic]          (N:P for P live processes, e.g. --clients 2000:2)
"""
import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import fanout_client, live_fanout  # noqa: E402
from bench.fanout_targets import Cop  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Watch:
    """What the bench's side sees: when each command was sent, when its first and last watcher had it, CPU."""

    def __init__(self):
        self.sent, self.first, self.last, self.cpu = {}, {}, {}, {}
        #: (live process's port, seq) → when the last of that process's watchers had the event.
        self.last_on: dict[tuple[int, int], float] = {}

    def install(self) -> None:
        command, seen, received = Cop.command, fanout_client.Tally.seen, fanout_client.Tally.received

        def traced_command(target, n):
            self.sent[n] = time.perf_counter()
            self.cpu[n] = (sum(cpu_seconds(p.pid) for p in target.procs), sum(os.times()[:2]))
            return command(target, n)

        def traced_seen(tally, seq):
            now = time.perf_counter()
            self.first.setdefault(seq, now)
            self.last[seq] = now
            seen(tally, seq)

        def traced_received(tally, client, seq):
            self.last_on[(client.transport.get_extra_info("peername")[1], seq)] = time.perf_counter()
            received(tally, client, seq)

        Cop.command, fanout_client.Tally.seen = traced_command, traced_seen
        fanout_client.Tally.received = traced_received


def read_traces(directory: str) -> list[dict]:
    """Each live process's marks: {(kind, key): value}, the chair's process first."""
    processes = []
    for path in sorted(Path(directory).glob("trace-*.tsv"), key=lambda p: int(p.stem.split("-")[1])):
        marks = {}
        for line in path.read_text().splitlines():
            kind, key, value = line.split("\t")
            marks.setdefault((kind, key), float(value))
        processes.append(marks)
    return sorted(processes, key=lambda m: not any(kind == "recv" for kind, _ in m))


def breakdown(watch: Watch, processes: list[dict], commands: int, ports: list[int]) -> dict:
    """Per stage, the list of durations (ms) over the sequential commands."""
    stages = defaultdict(list)
    seqs = sorted(watch.sent)[10:10 + commands]  # 5 warm-up commands before the watchers, 5 after
    home, others = processes[0], processes[1:]
    for seq in seqs:
        cid, key = f"b{seq}", str(seq)
        recv, thread, commit = (home[(k, cid)] for k in ("recv", "thread", "commit"))
        stages["sent → read by the live server"].append(recv - watch.sent[seq])
        stages["read → writer thread"].append(thread - recv)
        stages["transaction (writer thread)"].append(commit - thread)
        stages["  its CPU (thread time)"].append(home[("cpu_txn", cid)] / 1000)
        stages["commit → delivery begins"].append(home[("deliver", key)] - commit)
        stages["delivery (this process's watchers)"].append(home[("delivered", key)] - home[("deliver", key)])
        stages["  its CPU (main thread)"].append(home[("cpu_deliver", key)] / 1000)
        for other in others:
            stages["commit → other process notified"].append(other[("notified", key)] - commit)
            stages["notified → its delivery begins"].append(other[("deliver", key)] - other[("notified", key)])
            stages["its delivery"].append(other[("delivered", key)] - other[("deliver", key)])
            stages["  its CPU (its main thread)"].append(other[("cpu_deliver", key)] / 1000)
        for n, port in enumerate(ports):
            arrived = watch.last_on[(port, seq)]
            stages[f"sent → last watcher of process {n + 1} has it"].append(arrived - watch.sent[seq])
        ended = max(p[("delivered", key)] for p in processes)
        stages["last delivery ended → last watcher has it"].append(watch.last[seq] - ended)
        stages["TOTAL: sent → last watcher has it"].append(watch.last[seq] - watch.sent[seq])
    first, after = seqs[0], sorted(watch.sent)[10 + commands]
    stages["CPU per command, live processes"] = [(watch.cpu[after][0] - watch.cpu[first][0]) / commands]
    stages["CPU per command, bench client"] = [(watch.cpu[after][1] - watch.cpu[first][1]) / commands]
    return stages


def pauses(watch: Watch, processes: list[dict], commands: int) -> list[str]:
    """The collector's pauses of each live process while the sequential commands ran."""
    seqs = sorted(watch.sent)[10:10 + commands]
    begin, end = watch.sent[seqs[0]], watch.last[seqs[-1]]
    lines = []
    for n, marks in enumerate(processes):
        for generation in ("gc0", "gc1", "gc2"):
            during = [v for (kind, key), v in marks.items() if kind == generation and begin <= float(key) <= end]
            if during:
                lines.append(f"process {n + 1} {generation}: {len(during)} pauses, total {sum(during):.1f} ms, "
                             f"longest {max(during):.1f} ms")
    return lines


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="1000", help="N or N:P (P live processes)")
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--database-url", required=True, help="PostgreSQL scratch database (its schema is dropped)")
    parser.add_argument("--realistic", action="store_true", help="166 parties, a speakers' list and a text")
    args = parser.parse_args()
    n, _, lives = args.clients.partition(":")
    n, lives = int(n), int(lives or 1)
    directory = tempfile.mkdtemp(prefix="cop-fanout-trace-")
    os.environ.update(COP_FANOUT_TRACE=directory,
                      PYTHONPATH=os.pathsep.join([str(ROOT / "bench" / "fanout_trace"), str(ROOT)]))
    watch = Watch()
    watch.install()
    load = os.getloadavg()[0]
    target = Cop(args.database_url, args.realistic, lives)
    figures = await live_fanout.measure(target, n, args.commands, 200)
    time.sleep(0.5)
    processes = read_traces(directory)
    print(f"N={n} P={lives}: p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms, burst {figures['rate']:.0f} "
          f"cmd/s, dropped {figures['dropped']}, load {load:.1f} → {os.getloadavg()[0]:.1f}")
    print(f"{'stage (sequential commands)':<44} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for stage, values in breakdown(watch, processes, args.commands, target.ports).items():
        values.sort()
        print(f"{stage:<44} {statistics.median(values) * 1000:8.2f} {values[int(len(values) * 0.9)] * 1000:8.2f} "
              f"{values[max(0, int(len(values) * 0.99) - 1)] * 1000:8.2f}")
    for line in pauses(watch, processes, args.commands) or ["no collector pause"]:
        print(line)


if __name__ == "__main__":
    asyncio.run(main())
