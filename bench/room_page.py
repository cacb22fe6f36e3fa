"""The room page of a sitting plenary during a vote, as its public audience reloads it (issue 16).

Seeds a scratch PostgreSQL database with bench/fanout_seed.py's realistic plenary (166 accredited EPCI delegations,
a 12-paragraph draft on the open item, 24 requests for the floor, one speaker whose timer runs), then opens a public
vote on the item and has VOTERS heads cast their ballot (the panel lists who took part). Measures in-process what one
anonymous page costs once the meeting's state is warm (statements, CPU; median of BUILDS), then serves the app with
gunicorn as deploy/gunicorn.conf.py runs it (2 workers × 1 thread by default) and loads the room page with wrk:
anonymous in French, anonymous in English, the projector, and a delegation's head (logged in).

    python bench/room_page.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_x]
                              [--workers 2] [--connections 16] [--duration 15] [--voters 100]

The database is emptied (its public schema dropped) by the seed.
"""
import argparse
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_roompage")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--voters", type=int, default=100)
    parser.add_argument("--builds", type=int, default=30, help="pages measured in-process")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--ballots-rate", type=float, default=4.0,
                        help="ballots cast a second during the last run (anonymous, French, during the vote)")
    parser.add_argument("--no-seed", action="store_true", help="reuse the database as a previous run left it")
    return parser.parse_args()


def seed(voters: int) -> dict:
    """The realistic plenary, a public vote open with VOTERS ballots; its ids and a head's password."""
    from flask import current_app
    from sqlalchemy import text

    from bench import fanout_seed
    from cop.auth.models import User
    from cop.auth.passwords import hash_password
    from cop.conferences.models import Conference, Membership, Party
    from cop.db import db
    from cop.meetings.models import Meeting
    from cop.meetings.services import run_command

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    db.create_all()
    fanout_seed.app = current_app._get_current_object()  # the seed signs a chair's token with the app's key
    meeting_id, _token = fanout_seed.seed(realistic=True)
    meeting = db.session.get(Meeting, meeting_id)
    conference = db.session.get(Conference, meeting.conference_id)
    conference.decision_mode = "vote"
    chair = db.session.get(User, meeting.chair_id)
    db.session.commit()
    present = db.session.scalars(db.select(Party.id).filter_by(conference_id=conference.id)).all()
    run_command(meeting_id, chair, "rollcall.record", {"item_id": meeting.current_item.id, "present": present})
    db.session.commit()
    event, _new = run_command(meeting_id, chair, "vote.open", {"item_id": meeting.current_item.id})
    db.session.commit()
    vote_id = event.data["vote"]["id"]
    heads = db.session.scalars(db.select(User).join(Membership, Membership.user_id == User.id).filter(
        Membership.conference_id == conference.id, Membership.role == "head_of_delegation").order_by(User.id)).all()
    for number, head in enumerate(heads[:voters]):
        run_command(meeting_id, head, "vote.cast", {"vote_id": vote_id, "choice": ("yes", "no", "abstain")[number % 3],
                                                    "receipt": secrets.token_urlsafe(24)})
        db.session.commit()
    password = secrets.token_urlsafe(12)
    delegate = heads[-1]
    delegate.password_hash = hash_password(password)
    db.session.commit()
    return {"meeting": meeting_id, "email": delegate.email, "password": password, "seq": meeting.last_seq,
            "vote": vote_id, "waiting": [head.id for head in heads[voters:]]}


class Ballots(threading.Thread):
    """The heads who have not voted yet cast their ballot, RATE a second, each a committed event (a new seq)."""

    def __init__(self, app, info: dict, rate: float, seconds: float):
        super().__init__(daemon=True)
        self.app, self.info, self.rate, self.seconds, self.cast, self.refused = app, info, rate, seconds, 0, 0

    def run(self) -> None:
        from cop.auth.models import User
        from cop.db import db
        from cop.errors import DomainError
        from cop.meetings.services import run_command

        start = time.monotonic()
        with self.app.app_context():
            for number, user_id in enumerate(self.info["waiting"]):
                due = start + number / self.rate
                if due - start > self.seconds:
                    break
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    run_command(self.info["meeting"], db.session.get(User, user_id), "vote.cast",
                                {"vote_id": self.info["vote"], "choice": "yes", "receipt": secrets.token_urlsafe(24)})
                    db.session.commit()
                    self.cast += 1
                except DomainError:
                    db.session.rollback()
                    self.refused += 1


def in_process(app, meeting_id: int, builds: int) -> dict:
    """Statements and CPU of one anonymous page (French) and of the projector, the meeting's state warm; each
    request in its own application context (its own session), as in a worker."""
    from sqlalchemy import event

    from cop.db import db

    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a, **k: statements.append(1))
    client = app.test_client()
    out = {}
    for label, path in (("anonymous", f"/meetings/{meeting_id}"), ("projector", f"/meetings/{meeting_id}/projector")):
        client.get(path)  # warm: the snapshot and the shared parts are built once per seq
        cpu, counts = [], []
        for _ in range(builds):
            statements.clear()
            start = time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - start) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200, response.status_code
        out[label] = {"cpu_ms_median": round(statistics.median(cpu), 1), "cpu_ms_best": round(min(cpu), 1),
                      "statements": statistics.median(counts)}
    return out


def _ms(value: str) -> float:
    """A wrk duration ("812.00us", "3.2ms", "1.1s") in milliseconds."""
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, connections: int, duration: int, headers: tuple = ()) -> dict:
    """requests/s, p50, p99 (ms) and non-2xx answers, after a 2 s warm-up."""
    extra = [item for header in headers for item in ("-H", header)]
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", *extra, url], capture_output=True, check=True)
    out = subprocess.run(["nice", "-n", "19", "wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency",
                          *extra, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    # wrk gives up on an answer after 2 s: those time-outs are not in its latency figures.
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return {"timeouts": int(timeouts.group(1)) if timeouts else 0,
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": _ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99_ms": _ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "non_2xx": int(errors.group(1)) if errors else 0}


def login_cookie(base: str, email: str, password: str) -> str:
    """The session cookie of a logged-in delegate (through the real login form)."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(f"{base}/auth/login", data)
    cookies = {c.name: c.value for c in jar}
    if "session" not in cookies:
        raise SystemExit("login failed")
    return f"session={cookies['session']}"


def main() -> None:
    args = parse()
    os.environ["COP_DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench-room-page")
    from cop import create_app
    from cop.db import db

    app = create_app()
    info_path = Path("/tmp") / f"room_page_{args.port}.json"
    with app.app_context():
        if args.no_seed:
            info = json.loads(info_path.read_text())
        else:
            info = seed(args.voters)
            info_path.write_text(json.dumps(info))
        db.session.remove()
    costs = in_process(app, info["meeting"], args.builds)
    with app.app_context():
        db.engine.dispose()
    print(f"date (UTC) {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}, load {os.getloadavg()}", flush=True)
    print(f"meeting {info['meeting']}, seq {info['seq']}, {args.voters} ballots cast", flush=True)
    for label, figures in costs.items():
        print(f"in-process {label:<10} {figures}", flush=True)
    env = {**os.environ, "COP_WEB_WORKERS": str(args.workers), "COP_WEB_THREADS": "1",
           "COP_WEB_BIND": f"127.0.0.1:{args.port}", "COP_ENV": "bench"}
    web = subprocess.Popen(["nice", "-n", "19", sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                            "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start")
        cookie = login_cookie(base, info["email"], info["password"])
        room = f"{base}/meetings/{info['meeting']}"
        runs = (("anonymous, French", room, ("Accept-Language: fr",)),
                ("anonymous, English", room, ("Accept-Language: en",)),
                ("projector, anonymous", f"{room}/projector", ()),
                ("delegation head", room, (f"Cookie: {cookie}",)))
        print(f"gunicorn {args.workers} workers × 1 thread, wrk -t2 -c{args.connections} -d{args.duration}s",
              flush=True)
        for label, url, headers in runs:
            before = os.getloadavg()[0]
            figures = wrk(url, args.connections, args.duration, headers)
            print(f"{label:<22} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                  f"p99 {figures['p99_ms']:7.1f} ms  non-2xx {figures['non_2xx']}  timeouts {figures['timeouts']}  "
                  f"load {before:.1f}", flush=True)
        if args.ballots_rate > 0 and info.get("waiting"):
            before = os.getloadavg()[0]
            ballots = Ballots(app, info, args.ballots_rate, args.duration + 2)
            ballots.start()
            figures = wrk(room, args.connections, args.duration, ("Accept-Language: fr",))
            ballots.join()
            info["waiting"] = []  # cast: a --no-seed run would find them voted
            info_path.write_text(json.dumps(info))
            print(f"{'anon. FR, during vote':<22} {figures['rps']:8.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                  f"p99 {figures['p99_ms']:7.1f} ms  non-2xx {figures['non_2xx']}  timeouts {figures['timeouts']}  "
                  f"load {before:.1f}  "
                  f"({ballots.cast} ballots cast, {ballots.refused} refused, {args.ballots_rate}/s)", flush=True)
    finally:
        web.terminate()
        web.wait(30)


if __name__ == "__main__":
    main()
