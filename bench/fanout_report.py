"""The summary of bench/live_fanout.py: the median pass of each server and size, beside the issue-17 goals."""
import statistics

#: (N, live processes) → p99 goal in ms, and whether it must also be within 1.5× the floor.
GOALS = {(1000, 1): (45, True), (2000, 2): (60, False), (5000, 2): (150, False)}
NAMES = {"cop": "COP (cop.live)", "floor": "bare websockets (floor)", "peer": "Flask-SocketIO (gevent)"}


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(results: dict, args) -> str:
    """A Markdown table: per server and size, the median of the passes that ran, their load, the failures."""
    engine = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
    meeting = "realistic meeting (166 parties, speakers list, draft text)" if args.realistic else "one-party meeting"
    client = ("watchers in C (bench/cwatch.c), a process of their own" if args.client == "c"
              else "watchers in Python (bench/fanout_client.py), in the bench's process")
    lines = [f"{engine}, {meeting}, {args.commands} sequential commands and a burst of {args.burst} per pass; "
             f"{client}; median of the passes.",
             "",
             "| N | processes | server | p50 ms | p99 ms (passes) | burst cmd/s | kB/conn. | dropped | load | goal |",
             "|---:|---:|---|---:|---|---:|---:|---:|---|---|"]
    for (key, n, lives), runs in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0] != "cop")):
        ok = [r for r in runs if "failed" not in r]
        loads = "–".join(f"{r['load']:.1f}" for r in runs)
        failed = len(runs) - len(ok)
        if not ok:
            lines.append(f"| {n:,} | {lives} | {NAMES[key]} | — | all {len(runs)} passes failed | — | — | — | "
                         f"{loads} | |")
            continue
        p99s = sorted(r["p99"] for r in ok)
        goal = ""
        if key == "cop" and (n, lives) in GOALS:
            limit, floor = GOALS[(n, lives)]
            p99 = statistics.median(p99s)
            goal = f"p99 < {limit} ms: {'met' if p99 < limit else 'NOT met'}"
            bare = [r for r in results.get(("floor", n, 1), []) if "failed" not in r]
            if floor and bare:
                ratio = p99 / _median(bare, "p99")
                goal += f"; {ratio:.2f}× floor (≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'})"
            drops = sum(r["dropped"] for r in ok)
            goal += f"; {drops} dropped"
        lines.append(f"| {n:,} | {lives} | {NAMES[key]} | {_median(ok, 'p50'):.1f} | {statistics.median(p99s):.1f} "
                     f"({', '.join(f'{v:.1f}' for v in p99s)}{f'; {failed} failed' if failed else ''}) | "
                     f"{_median(ok, 'rate'):,.0f} | {_median(ok, 'kb'):.1f} | {sum(r['dropped'] for r in ok)} | "
                     f"{loads} | {goal} |")
    return "\n".join(lines)
