"""What one live command's transaction costs: statements, CPU and wall time of `cop.live.work.apply_command`, run
as the live server's writer thread runs it (one app context and one transaction per command), with no watcher.

    python bench/command_cost.py --database-url postgresql+psycopg://…/<scratch> [--commands 200] [--sql] [--profile]

Seeds the fan-out bench's realistic plenary (bench/fanout_seed.py: 166 parties, 24 asking for the floor, one
speaking; the scratch database's schema is dropped), then measures, each kind in turn:
- `timer`: the chair stops and starts the speaker's timer (what bench/live_fanout.py sends);
- `floor.request`: heads of delegation not yet on the list ask for the floor;
- `vote.cast`: with the rules switched to votes and a vote opened on the measured presence, heads cast a ballot.
For each: statements sent per command (SQLAlchemy's cursor executions, plus the pool's pre-ping and the COMMIT,
which no cursor event sees), the writer thread's CPU and the wall time per command, p50 / p99. `--sql` prints the
statements of one command of each kind; `--profile` prints cProfile's top functions over the timer commands
(`--profile-kind` over another kind's).
"""
import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="a scratch database (its schema is dropped); "
                                                           "default: a SQLite file in a temporary directory")
    parser.add_argument("--commands", type=int, default=200, help="timer commands (the others: up to 100)")
    parser.add_argument("--sql", action="store_true", help="print the statements of one command of each kind")
    parser.add_argument("--profile", action="store_true", help="cProfile over the timer commands")
    parser.add_argument("--profile-kind", default="timer", choices=["timer", "floor.request", "vote.cast"],
                        help="with --profile: the kind of command profiled (default: timer)")
    parser.add_argument("--no-pre-ping", action="store_true", help="what the pool's pre-ping costs: turn it off")
    parser.add_argument("--web-pool", action="store_true",
                        help="the web app's pool (a ping on every checkout) instead of the live process's "
                             "(a ping only after COP_LIVE_PING_IDLE_SECONDS idle)")
    options = parser.parse_args()
    url = options.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='cop-cmdcost-')}/bench.sqlite3"
    os.environ.update(COP_DATABASE_URL=url, COP_BUS="postgres" if url.startswith("postgresql") else "memory",
                      SECRET_KEY=os.environ.get("SECRET_KEY") or os.urandom(16).hex(),
                      COP_ACCOUNT_COMMANDS_PER_MINUTE="1000000", COP_LOG_CONFIGURE="0")

    import logging

    from sqlalchemy import event, text

    import bench.fanout_seed as fanout_seed
    from cop import create_app
    from cop.auth.models import User
    from cop.conferences.models import Conference, Membership
    from cop.db import db
    from cop.live import work
    from cop.live.connections import create_live_app
    from cop.meetings.models import FloorRequest, Meeting

    logging.getLogger("cop.live.command").setLevel(logging.WARNING)
    app = create_app() if options.web_pool else create_live_app()  # the live process's app, as cop.live runs it
    fanout_seed.app = app
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        meeting_id = fanout_seed.seed(True)[0]
        meeting = db.session.get(Meeting, meeting_id)
        chair = db.session.get(User, meeting.chair_id)
        asking = set(db.session.scalars(db.select(FloorRequest.user_id).filter_by(meeting_id=meeting_id)))
        heads = [(m.user_id, m.user.session_nonce, m.party_id) for m in db.session.scalars(
            db.select(Membership).filter_by(conference_id=meeting.conference_id, role="head_of_delegation")
            .order_by(Membership.id)) if m.user_id not in asking]
        chair_id, chair_nonce, conference_id = chair.id, chair.session_nonce, meeting.conference_id
        parties = [p for _, _, p in heads]
        engine = db.engine

    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, statement, *_: sent.append(statement))
    event.listen(engine, "commit", lambda _c: sent.append("COMMIT"))
    ping = engine.dialect.do_ping

    def counted_ping(connection):
        sent.append("SELECT 1  -- pool_pre_ping")
        return ping(connection)

    engine.dialect.do_ping = counted_ping
    if options.no_pre_ping:
        engine.pool._pre_ping = False

    def run(kind: str, jobs: list[tuple], profile=None) -> None:
        """Each job as the writer thread runs it; print its kind's figures."""
        counts, cpus, walls = [], [], []
        for n, (user_id, nonce, name, args) in enumerate(jobs):
            sent.clear()
            if profile is not None:
                profile.enable()
            started, cpu = time.perf_counter(), time.thread_time()
            with app.app_context():
                work.apply_command(meeting_id, user_id, nonce, name, args, uuid.uuid4().hex, parties)
            cpus.append((time.thread_time() - cpu) * 1000)
            walls.append((time.perf_counter() - started) * 1000)
            if profile is not None:
                profile.disable()
            counts.append(len(sent))
            if options.sql and n == 1:
                print(f"-- {name}: {len(sent)} statements")
                for statement in sent:
                    print("   ", " ".join(statement.split())[:int(os.environ.get("SQL_WIDTH", 150))])
        print(f"{kind:14} {len(jobs):4} commands  statements/command {min(counts)}–{max(counts)} "
              f"(mean {statistics.mean(counts):.1f})  CPU p50 {percentile(cpus, .5):.2f} ms p99 "
              f"{percentile(cpus, .99):.2f} ms  wall p50 {percentile(walls, .5):.2f} ms p99 "
              f"{percentile(walls, .99):.2f} ms", flush=True)

    print(f"{engine.dialect.name}, load average {os.getloadavg()[0]:.1f}, "
          f"{time.strftime('%H:%M:%S', time.gmtime())} UTC{', no pre-ping' if options.no_pre_ping else ''}"
          f"{', web pool' if options.web_pool else ''}")
    profile = cProfile.Profile() if options.profile else None
    run("timer", [(chair_id, chair_nonce, "timer.stop" if n % 2 == 0 else "timer.start", {})
                  for n in range(options.commands)], profile if options.profile_kind == "timer" else None)
    few = heads[:min(100, len(heads))]
    run("floor.request", [(user_id, nonce, "floor.request", {}) for user_id, nonce, _ in few],
        profile if options.profile_kind == "floor.request" else None)
    with app.app_context():
        db.session.get(Conference, conference_id).decision_mode = "vote"
        db.session.commit()
        opened = work.apply_command(meeting_id, chair_id, chair_nonce, "vote.open",
                                    {"item_id": db.session.get(Meeting, meeting_id).current_item.id},
                                    uuid.uuid4().hex, parties)[0]
    vote_id = opened["data"]["vote"]["id"]
    run("vote.cast", [(user_id, nonce, "vote.cast", {"vote_id": vote_id, "choice": "yes"})
                      for user_id, nonce, _ in few], profile if options.profile_kind == "vote.cast" else None)
    print(f"load average {os.getloadavg()[0]:.1f}, {time.strftime('%H:%M:%S', time.gmtime())} UTC")
    if profile is not None:
        profile.dump_stats(Path(tempfile.gettempdir()) / "command_cost.prof")
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
