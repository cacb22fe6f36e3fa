"""Timestamps inside a live process for bench/fanout_breakdown.py (loaded through PYTHONPATH, never in production).

Active only in `python -m cop.live` with COP_FANOUT_TRACE=<directory>: wraps the command's path (frame read, writer
thread, commit, delivery, bus notification) and the garbage collector, and writes one row per mark to
<directory>/trace-<pid>.tsv when the process exits. perf_counter is CLOCK_MONOTONIC: comparable across processes.
"""
import atexit
import gc
import json
import os
import sys
import time

ROWS: list = []


def mark(kind: str, key, value=None) -> None:
    ROWS.append((kind, key, time.perf_counter() if value is None else value))


def dump(directory: str) -> None:
    with open(os.path.join(directory, f"trace-{os.getpid()}.tsv"), "w") as out:
        out.writelines(f"{kind}\t{key}\t{value:.6f}\n" for kind, key, value in ROWS)


def install(directory: str) -> None:
    from cop.live import bus, rooms, server, work

    started = {}

    def collected(phase, info):
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            mark(f"gc{info['generation']}", f"{started['t']:.6f}", (time.perf_counter() - started["t"]) * 1000)

    gc.callbacks.append(collected)
    apply_command, submit = work.apply_command, server.LiveServer.submit
    deliver, dispatch = rooms.Room._deliver, bus.PostgresBus._dispatch

    def traced_apply(*args, **kw):
        mark("thread", args[5])
        cpu = time.thread_time()
        try:
            return apply_command(*args, **kw)
        finally:
            mark("cpu_txn", args[5], (time.thread_time() - cpu) * 1000)
            mark("commit", args[5])

    def traced_submit(self, room, client, raw):
        try:
            mark("recv", json.loads(raw).get("id"))
        except (ValueError, AttributeError):
            pass
        return submit(self, room, client, raw)

    def traced_deliver(self, frame):
        mark("deliver", frame.get("seq"))
        cpu = time.thread_time()
        deliver(self, frame)
        self.flush()  # the bench's commands go one at a time: send now, inside the measured span, not at loop's end
        mark("cpu_deliver", frame.get("seq"), (time.thread_time() - cpu) * 1000)
        mark("delivered", frame.get("seq"))

    def traced_dispatch(self, payload):
        try:
            mark("notified", json.loads(payload).get("s"))
        except (ValueError, AttributeError):
            pass
        dispatch(self, payload)

    work.apply_command, server.LiveServer.submit = traced_apply, traced_submit
    rooms.Room._deliver, bus.PostgresBus._dispatch = traced_deliver, traced_dispatch
    atexit.register(dump, directory)


if os.environ.get("COP_FANOUT_TRACE") and sys.orig_argv[-2:] == ["-m", "cop.live"]:
    install(os.environ["COP_FANOUT_TRACE"])
