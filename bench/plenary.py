"""A full plenary under load, through the production stack of deploy/ (nginx → gunicorn ×2 workers, live ×N).

166 delegations (their heads) in the room ask for the floor and table amendments while the chair gives the floor
and runs votes that every head casts; WATCHERS citizens follow the public broadcast (a share of them reload the page
now and then: the page through nginx, then a fresh connection and snapshot); the web side serves public pages at
the same time, and accepts commitments: the presidency, logged in through nginx with the login form, posts the
review form of one submitted version (filed by its party's head in the seed) every 1/ACCEPT_RATE seconds. Printed:
event delivery (command sent → the LAST client has it, p50/p99 over events; and per delivery), commands
acknowledged per second, errors, events lost, the web's pages and acceptances (p50/p99, failures), memory per
process and per connection, CPU per process, and the machine's load. Every figure measured is printed even when a
check fails.

    python bench/plenary.py [--watchers 2000] [--lives 2] [--duration 40] [--client-procs 2] [--accept-rate 1.0]
                            [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test_i16_bench]
"""
import argparse
import asyncio
import json
import math
import multiprocessing
import os
import queue
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.plenary_watchers import lag_monitor, lag_summary, percentile, watch, watch_c  # noqa: E402

DELEGATIONS = 166
#: The chair's commands a minute at most: under the live server's COP_ACCOUNT_COMMANDS_PER_MINUTE (60).
CHAIR_PER_MINUTE = 56
#: py-spy lives in the virtual environment beside this interpreter (not on PATH).
PY_SPY = (str(Path(sys.executable).with_name("py-spy")) if Path(sys.executable).with_name("py-spy").exists()
          else "py-spy")
TEXT = "La COP fixe l’objectif de 3 000 emplois industriels créés d’ici 2030."


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=2000)
    parser.add_argument("--lives", type=int, default=2)
    parser.add_argument("--duration", type=float, default=40)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--reload-share", type=float, default=0.1)
    parser.add_argument("--pace", type=float, default=30, help="seconds between two actions of one head (mean)")
    parser.add_argument("--accept-rate", type=float, default=1.0,
                        help="commitment versions the presidency accepts per second through the web (0: none)")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test_i16_bench")
    parser.add_argument("--profile", help="py-spy raw stacks of the first live process during the measure, to FILE; "
                                          "its shares (encoding, socket writes, database, event loop) are printed")
    parser.add_argument("--watcher-client", choices=("c", "python"), default="c",
                        help="the watchers: c (bench/cwatch.c, a few µs a message; needs cc and libssl-dev) or python "
                             "(bench/plenary_watchers.py); the cheaper the bench's own clients, the more of the 2 "
                             "cores is left to the servers they measure")
    parser.add_argument("--watcher-loop", choices=("uvloop", "asyncio"), default="uvloop",
                        help="the Python watchers' event loop: uvloop's TLS layer is C, asyncio's is Python")
    parser.add_argument("--events", help="write each event's figures to FILE (JSON: command, sent, acked, arrivals' "
                                         "first / median / 99th percentile / last, in seconds of the clock every "
                                         "process shares)")
    args = parser.parse_args()
    if args.watcher_client == "c":
        from bench import cwatch

        if not cwatch.available():
            parser.error("the C watchers cannot be built here (cc and libssl-dev): use --watcher-client python")
    return args


def fresh_database(url: str) -> None:
    """Drop and create the bench's own database."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{parsed.database}"')


def seed(rounds: int, filings: int = 0, password: str = "") -> dict:
    """A COP in negotiation deciding by vote, 166 accredited delegations and their heads, a public plenary open,
    one clean draft of several paragraphs per round; FILINGS commitments submitted during the call for commitments
    (each by its party's head, through the domain functions the filing pages call; the parties in turn, one filière
    after the other) and awaiting the presidency's review; the presidency's account logs in with PASSWORD."""
    from datetime import datetime, timezone

    from cop.auth.models import User
    from cop.auth.passwords import hash_password
    from cop.commitments import services, submission
    from cop.conferences.models import Conference, Membership, Party
    from cop.db import db, utcnow
    from cop.meetings.models import AgendaItem, Meeting
    from cop.negotiation.texts.operations import create_draft
    from cop.reference.models import Sector
    from cop.reference.seed import load_reference
    from cop.territories.models import Territory
    from tests.commitment_helpers import draft_input

    load_reference(db.session)  # the filières and indicators the commitments name
    region = Territory(kind="region", code="84", name="Auvergne-Rhône-Alpes", search_name="auvergne",
                       population=8_205_557)
    db.session.add(region)
    db.session.flush()
    # In its call for commitments while the parties file; in negotiation (the plenary) from the filings on.
    conf = Conference(region_id=region.id, edition_year=2027, title="COP régionale — plénière d’adoption",
                      code="COP-PLEN", phase="call_for_commitments", decision_mode="vote", quorum_percent=50)
    chair = User(email="presidence@bench.test", name="Présidence",
                 password_hash=hash_password(password) if password else None)
    db.session.add_all([conf, chair])
    db.session.flush()
    db.session.add(Membership(user_id=chair.id, conference_id=conf.id, role="presidency"))
    heads, parties = [], []
    for number in range(DELEGATIONS):
        territory = Territory(kind="epci", code=f"2{number:08d}", name=f"EPCI {number + 1}",
                              search_name=f"epci {number + 1}", population=50_000 + number, region_id=region.id)
        head = User(email=f"chef{number}@bench.test", name=f"Chef de délégation {number + 1}")
        db.session.add_all([territory, head])
        db.session.flush()
        party = Party(conference_id=conf.id, territory_id=territory.id, name=territory.name, kind="epci",
                      accreditation="accredited")
        db.session.add(party)
        db.session.flush()
        db.session.add(Membership(user_id=head.id, conference_id=conf.id, role="head_of_delegation",
                                  party_id=party.id, is_accredited=True))
        heads.append(head.id)
        parties.append((party, head))
    db.session.flush()
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position)).all()
    if filings > DELEGATIONS * min(conf.max_priority_sectors, len(sectors)):
        raise SystemExit(f"{filings} commitments to file: more than the parties' priority filières allow")
    commitments = []
    for index in range(filings):
        party, head = parties[index % DELEGATIONS]
        sector = sectors[index // DELEGATIONS]
        services.declare_priority(head, party, sector, "Un tissu industriel dense.")
        commitment = services.start_commitment(head, party, sector)
        services.save_draft(head, commitment, commitment.version, draft_input(str(100 + index)))
        version = submission.submit(head, commitment, commitment.version)
        commitments.append((commitment.id, version.number))
    conf.phase = "negotiation"
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière d’adoption", chair_id=chair.id,
                      is_public=True, state="open", starts_dt=datetime.now(timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    items, paragraphs = [], {}
    for position in range(1, rounds + 1):
        item = AgendaItem(meeting_id=meeting.id, position=position, title=f"Chapitre {position} de la feuille de route",
                          state="open" if position == 1 else "pending")
        db.session.add(item)
        db.session.flush()
        draft = create_draft(chair, meeting, item, f"Chapitre {position}", "\n\n".join([TEXT] * 6), utcnow())
        items.append(item.id)
        paragraphs[item.id] = [p.id for p in draft.paragraphs]
    db.session.commit()
    members = db.session.scalars(db.select(User).where(User.id.in_([chair.id, *heads])))
    nonces = {str(u.id): u.session_nonce for u in members}  # the live tokens name the web session
    return {"meeting": meeting.id, "conference": conf.id, "chair": chair.id, "heads": heads, "items": items,
            "paragraphs": paragraphs, "nonces": nonces, "chair_email": chair.email, "commitments": commitments}


class Out:
    """What a watcher process hands back, and the last seq it must reach (set by the parent at the end)."""

    def __init__(self):
        self.queue = multiprocessing.Queue()
        self.last = multiprocessing.Value("q", -1)

    def put(self, item):
        self.queue.put(item)


# Processes: CPU and memory from /proc. -------------------------------------------------------------------------

def proc_stat(pid: int) -> Optional[tuple[float, int]]:
    """(CPU seconds used, resident memory in kB) of a process; None when it is gone (a gunicorn worker recycled
    after max_requests, or one that died: the run goes on and says so)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as handle:
            rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), rss


def command_groups(directory: Path) -> dict:
    """From the live processes' command lines: how many commands shared their transaction (`group`), per command
    name — a vote's ballots queued together commit together (cop/live/work.py, apply_commands)."""
    sizes: dict[str, list[int]] = {}
    for log_file in sorted(Path(directory).glob("live-*.log")):
        for line in log_file.read_text(errors="replace").splitlines():
            if '"cop.live.command"' not in line:
                continue
            try:
                fields = json.loads(line)
            except ValueError:
                continue
            sizes.setdefault(fields.get("command", "?"), []).append(int(fields.get("group", 1)))
    return {name: {"n": len(found), "grouped": sum(1 for size in found if size > 1),
                   "p50": sorted(found)[len(found) // 2], "max": max(found)} for name, found in sorted(sizes.items())}


def server_crashes(directory: Path) -> list[str]:
    """The lines of the stack's logs saying a server process died of a signal (and the Python traceback
    faulthandler printed, its first line), e.g. a gunicorn worker "was sent SIGSEGV"."""
    found = []
    for log_file in sorted(Path(directory).glob("*.log")):
        for line in log_file.read_text(errors="replace").splitlines():
            if "was sent SIG" in line or line.startswith("Fatal Python error"):
                found.append(f"{log_file.name}: {line.strip()[:200]}")
    return found


def database_cpu(database: str) -> dict[int, float]:
    """CPU seconds of every PostgreSQL backend serving the bench's database (pid → seconds)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                line = handle.read().replace(b"\0", b" ").decode(errors="replace")
            if line.startswith("postgres: ") and f" {database} " in line:
                found[int(entry)] = proc_stat(int(entry))[0]
        except (OSError, StopIteration, TypeError):
            continue
    return found


def children(pid: int) -> list[int]:
    """Direct children of a process."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def processes(stack) -> dict[str, int]:
    """Name → pid of every server process of the stack."""
    named = {f"live:{port}": proc.pid for port, proc in stack.lives.items()}
    named["gunicorn master"] = stack.web.pid
    for number, pid in enumerate(children(stack.web.pid)):
        named[f"gunicorn worker {number + 1}"] = pid
    named["nginx master"] = stack.nginx.pid
    for number, pid in enumerate(children(stack.nginx.pid)):
        named[f"nginx worker {number + 1}"] = pid
    return named


# The room: the chair and the 166 heads, in this process. ------------------------------------------------------

class Room:
    def __init__(self, urls, base, secret, plan):
        from cop.live import tokens
        from tests.deploy_stack import insecure
        from tests.live.resilient import Resilient

        meeting = plan["meeting"]
        issue = lambda user: (lambda: tokens.issue(secret, user, meeting, plan["nonces"][str(user)]))  # noqa: E731
        context = insecure()
        self.chair = Resilient(urls, meeting, issue(plan["chair"]), origin=base, ssl=context, tag="chair")
        self.heads = [Resilient(urls, meeting, issue(h), origin=base, ssl=context, tag=f"h{n}", start=n)
                      for n, h in enumerate(plan["heads"])]
        self.plan = plan
        self.sent: dict[int, float] = {}
        #: seq → when its ack reached the room: the event is committed and being fanned out (the live server acks,
        #: then hands the event to its room, in one step of its loop).
        self.acked_at: dict[int, float] = {}
        #: seq → the command whose event it is (the fan-out's figures by command).
        self.name_of: dict[int, str] = {}
        #: command name → seconds from sent to answered (the writer's queue and the transaction).
        self.answer_times: dict[str, list[float]] = {}
        self.acks = 0
        #: When the chair sent its commands: it stays under the 60 a minute the live server allows an account.
        self.chair_sent: list[float] = []
        self.refusals: dict[str, int] = {}
        self.errors: list[str] = []
        self.votes: dict[int, asyncio.Future] = {}
        self.chair.on_event = self.on_chair_event
        #: item → amendments tabled on it and not yet set aside by the chair (a pending one bars the vote).
        self.tabled: dict[int, set[int]] = {int(item): set() for item in plan["paragraphs"]}
        self.item_of = {p: int(item) for item, ps in plan["paragraphs"].items() for p in ps}

    def on_chair_event(self, frame):
        if frame["name"] == "amendment.tabled":
            amendment = frame["data"]["amendment"]
            self.tabled[self.item_of[amendment["paragraph_id"]]].add(amendment["id"])
        if frame["name"] == "vote.opened":
            future = self.votes.get(frame["data"]["vote"]["item_id"])
            if future and not future.done():
                future.set_result(frame["data"]["vote"]["id"])

    async def command(self, client, name, args=None, expected=("conflict",)):
        if client is self.chair:
            # A person's pace: the chair waits rather than go over the live server's 60 commands a minute per
            # account (the set-asides before a vote come in bursts when many amendments were tabled).
            while sum(1 for t in self.chair_sent if t > time.time() - 60) >= CHAIR_PER_MINUTE:
                await asyncio.sleep(0.25)
        began = time.time()
        if client is self.chair:
            self.chair_sent.append(began)
        _, answer = client.command(name, args)
        try:
            frame = await asyncio.wait_for(answer, 120)
        except (asyncio.TimeoutError, TimeoutError):
            self.errors.append(f"{name}: no answer in 120 s")
            return None
        self.answer_times.setdefault(name, []).append(time.time() - began)
        if frame["type"] == "ack":
            self.acks += 1
            self.sent.setdefault(frame["seq"], began)
            self.acked_at.setdefault(frame["seq"], time.time())
            self.name_of.setdefault(frame["seq"], name)
            return frame
        self.refusals[frame.get("code")] = self.refusals.get(frame.get("code"), 0) + 1
        if frame.get("code") not in expected:
            self.errors.append(f"{name}: {frame.get('code')} {frame.get('message')}")
        return frame

    async def delegate(self, number, head, stop_at):
        """A head asks for the floor or tables an amendment every PACE seconds or so (166 heads: several a second)."""
        random.seed(number)
        first = True
        while time.time() < stop_at:
            # the first action anywhere in the first PACE seconds: the room is busy from the start of the measure
            await asyncio.sleep(random.uniform(0, 1) * self.pace if first else random.uniform(0.5, 1.5) * self.pace)
            first = False
            if time.time() >= stop_at or self.voting:
                continue
            if random.random() < 0.7:
                await self.command(head, "floor.request")
            else:
                item = self.item
                paragraph = random.choice(self.plan["paragraphs"][item])
                await self.command(head, "amendment.table", {
                    "paragraph_id": paragraph, "kind": "replace", "version": 1, "explanation": "Ambition.",
                    "text": f"{TEXT} Amendement {secrets.token_hex(3)}."}, expected=("conflict", "invalid"))

    async def chairing(self, stop_at):
        """Give the floor every 2 s, unless the chair sent 30 commands in the last minute; a vote on the current
        chapter every 12 s after the last one ended, cast by every head. (Giving the floor every second, later every
        1.5 s once the votes went fast enough for a third one in the measure, with the set-asides and the votes, took
        the chair over the 60 commands per account and minute that the live server allows a person,
        COP_ACCOUNT_COMMANDS_PER_MINUTE, and the bench counted its own refusals as errors.)"""
        next_vote = time.time() + 8
        rounds = iter(self.plan["items"])
        self.item = next(rounds)
        while time.time() < stop_at:
            await asyncio.sleep(2)
            # The votes' own commands (set-asides, open, close, next item) come first within the chair's quota.
            if sum(1 for t in self.chair_sent if t > time.time() - 60) < 30:
                await self.command(self.chair, "floor.next")
            if time.time() >= next_vote and time.time() < stop_at - 8:
                await self.vote()
                following = next(rounds, None)
                if following is None:
                    break
                self.item = following
                await self.command(self.chair, "item.open", {"item_id": following})
                next_vote = time.time() + 12

    async def vote(self):
        """Set aside the amendments still pending on the chapter (the chair's ruling, one command each: a pending
        amendment bars the vote), open the vote, every head casts, close."""
        self.voting = True  # the heads hold their requests
        item = self.item
        self.votes[item] = asyncio.get_running_loop().create_future()
        for _ in range(3):  # an amendment tabled just before the heads held theirs: set it aside too
            while self.tabled[item]:
                await self.command(self.chair, "amendment.set_aside", {"amendment_id": self.tabled[item].pop()})
            opened = await self.command(self.chair, "vote.open", {"item_id": item})
            if opened is None or opened["type"] == "ack" or not self.tabled[item]:
                break
        if opened and opened["type"] == "ack":
            try:
                vote_id = await asyncio.wait_for(self.votes[item], 30)
            except (asyncio.TimeoutError, TimeoutError):
                self.errors.append("vote.opened: not received by the chair in 30 s")
                self.voting = False
                return
            await asyncio.gather(*(self.command(h, "vote.cast", {"vote_id": vote_id, "choice": random.choice(
                ("yes", "yes", "no", "abstain")), "receipt": secrets.token_urlsafe(24)}) for h in self.heads))
            await self.command(self.chair, "vote.close", {"vote_id": vote_id})
        self.voting = False

    voting = False
    item = None
    pace = 30.0


def web_load(base, meeting, conference, stop_at, result):
    """Public pages through nginx, one after the other, in this thread."""
    from tests.deploy_stack import get

    pages = ["/", f"/meetings/{meeting}", f"/cop/{conference}", "/healthz"]
    while time.time() < stop_at:
        began = time.time()
        try:
            status = get(base + random.choice(pages), 30)[0]
        except OSError as error:
            status = str(error)
        result["times"].append(time.time() - began)
        if status != 200:
            result["errors"].append(str(status))


class Presidency:
    """The presidency at its desk, through nginx as a browser: the login form (its CSRF token, the session cookie),
    the review queue, then the review form of each submitted version posted in turn, its redirect followed (the page
    shows the flash message, which leaves the session cookie)."""

    def __init__(self, base: str, conference: int, email: str, password: str):
        import http.cookiejar
        import urllib.request

        from tests.deploy_stack import insecure

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kw):
                return None

        self.base, self.conference, self.email, self.password = base, conference, email, password
        self.opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=insecure()),
                                                  urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""
        self.accepted = 0
        self.failed = 0
        self.late = 0
        self.messages: list[str] = []
        self.post_times: list[float] = []
        self.page_times: list[float] = []

    def request(self, path: str, form: dict | None = None, referer: str | None = None, timeout: float = 30):
        """(status, headers, body) of a GET, or of a POST of the form (with its Origin and Referer, as a browser)."""
        import urllib.error
        import urllib.parse
        import urllib.request

        headers = {"Origin": self.base, "Referer": self.base + referer} if form is not None else {}
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=data, headers=headers),
                                  timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    @staticmethod
    def csrf(body: bytes) -> str:
        """The CSRF token of the page's first form."""
        import re

        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or \
            re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', body)
        if not found:
            raise RuntimeError("no CSRF token in the page")
        return found.group(1).decode()

    def login(self) -> None:
        """The login form, then the review queue (which gives the session's CSRF token); raises if refused."""
        status, _, body = self.request("/auth/login")
        if status != 200:
            raise RuntimeError(f"login page: {status}")
        status, headers, _ = self.request("/auth/login", {"csrf_token": self.csrf(body), "email": self.email,
                                                          "password": self.password}, "/auth/login")
        if status != 302:
            raise RuntimeError(f"login refused: {status}")
        status, _, body = self.request(self.queue)
        if status != 200:
            raise RuntimeError(f"review queue: {status}")
        self.token = self.csrf(body)

    @property
    def queue(self) -> str:
        return f"/cop/{self.conference}/engagements/a-examiner"

    def accept(self, commitment: int, number: int) -> None:
        """Post the version's review form (accept); follow the redirect; count and time both."""
        import re

        show = f"/cop/{self.conference}/engagements/{commitment}"
        began = time.time()
        try:
            status, headers, body = self.request(f"{show}/versions/{number}/examen",
                                                 {"csrf_token": self.token, "decision": "accept", "comment": ""}, show)
        except Exception as error:  # noqa: BLE001 — a connection reset, a truncated answer: counted and shown
            status, headers, body = f"{type(error).__name__}: {error}", {}, b""
        self.post_times.append(time.time() - began)
        if status != 302:
            title = re.search(rb"<title>(.*?)</title>", body or b"", re.S)
            self.failed += 1
            self.messages.append(f"version {number} of commitment {commitment}: {status} "
                                 f"{title.group(1).decode(errors='replace').strip() if title else ''}"[:200])
            return
        self.accepted += 1
        began = time.time()
        try:
            status = self.request(location_path(headers["Location"], self.base))[0]
        except Exception as error:  # noqa: BLE001 — counted and shown
            status = f"{type(error).__name__}: {error}"
        self.page_times.append(time.time() - began)
        if status != 200:
            self.failed += 1
            self.messages.append(f"page after accepting version {number} of commitment {commitment}: {status}")

    def run(self, commitments: list, rate: float, started: float, stop_at: float) -> None:
        """One acceptance every 1/rate seconds from `started`, on a fixed timetable (the time a POST takes is not
        added to it; a POST that starts over one period after its slot is counted late), until stop_at or no version
        is left: duration × rate acceptances."""
        for index, (commitment, number) in enumerate(commitments):
            due = started + index / rate
            if due >= stop_at:
                break
            if due > time.time():
                time.sleep(due - time.time())
            elif time.time() - due > 1 / rate:
                self.late += 1
            self.accept(commitment, number)

    def summary(self, rate: float) -> dict:
        return {"rate_asked_per_s": rate, "accepted": self.accepted, "failed": self.failed, "late": self.late,
                "post_ms": {"n": len(self.post_times), "p50": round(percentile(self.post_times, .5) * 1000, 1),
                            "p99": round(percentile(self.post_times, .99) * 1000, 1),
                            "max": round(max(self.post_times, default=float("nan")) * 1000, 1)},
                "page_after_ms": {"p50": round(percentile(self.page_times, .5) * 1000, 1),
                                  "p99": round(percentile(self.page_times, .99) * 1000, 1)},
                "errors": self.messages[:5]}


def location_path(location: str, base: str) -> str:
    """The path of a redirect's Location (absolute on the stack's base, or already a path)."""
    return location[len(base):] if location.startswith(base) else location


def collect(outs, procs, counts, report, seconds: float = 120) -> list[dict]:
    """Every client process's result, each awaited until one shared deadline; a process that fails or is late is
    printed as such (its clients counted as not measured), and the others' figures are kept."""
    deadline = time.time() + seconds
    results, lines, measured, not_measured = [], [], 0, 0
    for number, (out, proc) in enumerate(zip(outs, procs)):
        try:
            result = out.queue.get(timeout=max(1.0, deadline - time.time()))
        except queue.Empty:
            reason = (f"exited with code {proc.exitcode}" if not proc.is_alive()
                      else f"still running {seconds:.0f} s after the measure ended")
            result = {"failed": f"no result ({reason})", "clients": counts[number]}
        if "failed" in result:
            lines.append(f"process {number + 1}: no result ({result['failed']})")
            if result.get("trace"):
                print(f"process {number + 1}:\n{result['trace']}", file=sys.stderr)
            not_measured += result["clients"]
            continue
        results.append(result)
        measured += result["clients"]
        report.setdefault("client_loop_stalls", {})[f"process {number + 1}"] = result["phases"].get("stalls", [])
        lines.append(f"process {number + 1}: {result['clients']} watchers, {len(result['arrivals'])} events seen, "
                     f"{result['connected_at_end']} connected at the end, {result['gaps']} gaps, "
                     f"{result['duplicates']} duplicates, {result['behind']} behind, {len(result['errors'])} errors, "
                     f"closed by the other side (code: count) {result['closed_by']}, "
                     f"waited {result['phases']['waited_for_last_s']} s for the room to leave, "
                     f"caught up in {result['phases']['catch_up_s']} s, CPU {result['phases']['cpu_percent']} %, "
                     f"event-loop lag p99 {result['phases']['loop_lag']['p99_ms']} ms "
                     f"(max {result['phases']['loop_lag']['max_ms']} ms)")
    for proc in procs:
        proc.join(max(1.0, deadline + 30 - time.time()))
        if proc.is_alive():
            proc.kill()
    report["client_processes"] = lines
    report["watchers_measured"], report["watchers_not_measured"] = measured, not_measured
    for line in lines:
        print(line, file=sys.stderr, flush=True)
    return results


def main() -> None:
    args = parse()
    os.environ["COP_DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
    fresh_database(args.database_url)
    from cop import create_app
    from cop.db import db
    from tests.deploy_stack import Stack

    app = create_app()
    # Enough submitted versions for the measure at the acceptance rate (the room's heads file them in the seed).
    filings = math.ceil(args.duration * args.accept_rate) + 2 if args.accept_rate > 0 else 0
    password = secrets.token_urlsafe(12)
    with app.app_context():
        db.create_all()
        plan = seed(rounds=4, filings=filings, password=password)
    plan["password"] = password
    directory = Path(tempfile.mkdtemp(prefix="cop-plenary-"))
    # Every bench client comes from 127.0.0.1 through nginx: the per-address socket cap would refuse most of them.
    stack = Stack(directory, args.database_url, os.environ["SECRET_KEY"], lives=args.lives,
                  extra_env={"COP_LIVE_COMMAND_BURST": "40", "COP_LIVE_MAX_SOCKETS_PER_ADDRESS": "1000000"})
    report: dict = {"watchers": args.watchers, "lives": args.lives, "delegations": DELEGATIONS, "pace_s": args.pace,
                    "watcher_client": args.watcher_client,
                    "watcher_loop": args.watcher_loop if args.watcher_client == "python" else None,
                    "load_before": os.getloadavg()}
    try:
        stack.start()
        run(args, stack, plan, report)
    finally:
        stack.stop()
        print(json.dumps(report, indent=1, default=str))
        print(f"logs: {directory}", file=sys.stderr)


def run(args, stack, plan, report) -> None:
    from sqlalchemy.engine import make_url

    database = make_url(args.database_url).database
    urls = [f"wss://127.0.0.1:{stack.https_port}/live"]
    named = processes(stack)
    idle = {name: proc_stat(pid) for name, pid in named.items()}
    outs, procs, readies, counts = [], [], [], []
    stop = multiprocessing.Value("d", 0.0)
    share = args.watchers // args.client_procs
    for number in range(args.client_procs):
        out, ready = Out(), multiprocessing.Event()
        count = share if number < args.client_procs - 1 else args.watchers - share * (args.client_procs - 1)
        proc = multiprocessing.Process(daemon=True, target=watch_c if args.watcher_client == "c" else watch,
                                       args=(urls, plan["meeting"], count, args.reload_share,
                                                           stack.base, stop, out, ready, args.watcher_loop))
        proc.start()
        outs.append(out), procs.append(proc), readies.append(ready), counts.append(count)
    began = time.time()
    while not all(r.is_set() or not p.is_alive() for r, p in zip(readies, procs)):
        time.sleep(0.5)
    report["watchers_connected_in_s"] = round(time.time() - began, 1)
    report["connections_per_live"] = {p: stack.live_health(p)["connections"] for p in stack.live_ports}
    report["watchers_connected"] = sum(report["connections_per_live"].values())
    room = Room(urls, stack.base, os.environ["SECRET_KEY"], plan)
    room.pace = args.pace
    web = {"times": [], "errors": []}
    presidency = None
    if args.accept_rate > 0:  # logged in before the measure: the login is not part of it
        presidency = Presidency(stack.base, plan["conference"], plan["chair_email"], plan["password"])
        presidency.login()

    threads: list[threading.Thread] = []

    async def in_room():
        clients = [room.chair, *room.heads]
        tasks = [asyncio.create_task(c.run()) for c in clients]
        try:
            await asyncio.wait_for(asyncio.gather(*(c.synced.wait() for c in clients)), 300)
        except (asyncio.TimeoutError, TimeoutError):
            report["room_not_connected"] = sum(1 for c in clients if not c.synced.is_set())
        report["room_connected"] = sum(1 for c in clients if c.synced.is_set())
        spy = None
        if args.profile:
            spy = subprocess.Popen([PY_SPY, "record", "-r", "100", "-f", "raw", "-o", args.profile, "--threads",
                                    "-p", str(named[f"live:{stack.live_ports[0]}"])],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = {name: proc_stat(pid) for name, pid in named.items()}
        database_start = database_cpu(database)
        started = time.time()
        stop_at = stop.value = started + args.duration
        threads[:] = [threading.Thread(target=web_load, args=(stack.base, plan["meeting"], plan["conference"],
                                                              stop_at, web)) for _ in range(2)]
        if presidency is not None:
            threads.append(threading.Thread(target=presidency.run, args=(plan["commitments"], args.accept_rate,
                                                                         started, stop_at)))
        for thread in threads:
            thread.start()
        lags: list[float] = []
        monitor = asyncio.create_task(lag_monitor(lags))
        cpu_before = time.process_time()
        work = [asyncio.create_task(room.chairing(stop_at))]
        work += [asyncio.create_task(room.delegate(n, h, stop_at)) for n, h in enumerate(room.heads)]
        await asyncio.gather(*work)
        elapsed = time.time() - started
        monitor.cancel()
        report["room_process"] = {"cpu_percent": round((time.process_time() - cpu_before) / elapsed * 100, 1),
                                  "loop_lag": lag_summary(lags)}
        busy = {name: proc_stat(pid) for name, pid in named.items()}
        database_end = database_cpu(database)
        report["postgres_backends"] = len(database_end)
        busy["postgres backends"] = (sum(seconds - database_start.get(pid, 0) for pid, seconds in database_end.items()),
                                     0)
        start["postgres backends"] = (0, 0)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        for client in clients:
            client.abort()
        await asyncio.wait(tasks, timeout=20)
        return start, busy, elapsed

    start, busy, elapsed = asyncio.run(in_room())
    for thread in threads:
        thread.join()
    report["load_during"] = os.getloadavg()
    from cop import create_app
    from cop.commitments.models import Commitment, CommitmentVersion
    from cop.db import db
    from cop.meetings.models import Meeting

    with create_app().app_context():
        last = db.session.get(Meeting, plan["meeting"]).last_seq
        # What the database holds: the acceptances the web answered are there (and no other).
        accepted_in_database = db.session.scalar(
            db.select(db.func.count(CommitmentVersion.id)).join(Commitment)
            .where(Commitment.conference_id == plan["conference"], CommitmentVersion.status == "accepted"))
    for out in outs:
        out.last.value = last
    results = collect(outs, procs, counts, report)
    arrivals: dict[int, list[float]] = {}
    for result in results:
        for seq, times in result["arrivals"].items():
            arrivals.setdefault(seq, []).extend(times)
    to_last = [max(arrivals[s]) - room.sent[s] for s in room.sent if s in arrivals]
    each = [t - room.sent[s] for s in room.sent if s in arrivals for t in arrivals[s]]
    fan_out = [max(arrivals[s]) - room.acked_at[s] for s in room.acked_at if s in arrivals]
    crashes = server_crashes(stack.dir)
    report.update({
        # A server process killed by a signal (gunicorn: "Worker (pid:…) was sent SIGSEGV!") is an error of the run.
        "server_crashes": crashes[:10],
        "events": last, "commands_acked": room.acks, "acked_per_s": round(room.acks / elapsed, 1),
        "refusals": room.refusals, "errors": room.errors[:10] + [e for r in results for e in r["errors"]][:10],
        "error_count": len(room.errors) + sum(len(r["errors"]) for r in results) + len(web["errors"])
        + (presidency.failed if presidency else 0)
        + sum(1 for line in report["client_processes"] if ": no result" in line) + len(crashes),
        "events_lost": sum(r["gaps"] for r in results), "duplicates": sum(r["duplicates"] for r in results),
        "watchers_behind_at_end": sum(r["behind"] for r in results), "reloads": sum(r["reloads"] for r in results),
        # The C watchers resume their TLS session on a reload's connections, as a browser does.
        "tls_handshakes_resumed": f"{sum(r.get('tls_resumed', 0) for r in results)} of "
                                  f"{sum(r.get('tls_handshakes', 0) for r in results)}",
        # Events delivered together (a group of ballots committed at once) reach a watcher as one message; the
        # messages counted are of every kind (presence, snapshots after a reload too).
        "watcher_messages": sum(r["messages"] for r in results),
        "events_per_watcher_message": round(sum(r["events_received"] for r in results)
                                            / max(1, sum(r["messages"] for r in results)), 2),
        "delivery_to_last_client_ms": {"p50": round(percentile(to_last, .5) * 1000, 1),
                                       "p99": round(percentile(to_last, .99) * 1000, 1),
                                       "max": round(max(to_last, default=float("nan")) * 1000, 1)},
        "delivery_each_ms": {"p50": round(percentile(each, .5) * 1000, 1),
                             "p99": round(percentile(each, .99) * 1000, 1)},
        # The two parts of the delivery: the command's wait for its answer (the writer's queue, then the
        # transaction), and the fan-out from the ack (the event committed) to the last watcher.
        "ack_to_last_client_ms": {"p50": round(percentile(fan_out, .5) * 1000, 1),
                                  "p99": round(percentile(fan_out, .99) * 1000, 1),
                                  "max": round(max(fan_out, default=float("nan")) * 1000, 1)},
        "ack_to_last_client_ms_by_command": {
            name: {"n": len(times), "p50": round(percentile(times, .5) * 1000, 1),
                   "p99": round(percentile(times, .99) * 1000, 1), "max": round(max(times) * 1000, 1)}
            for name, times in sorted(_by_name(room, arrivals).items())},
        "answer_ms_by_command": {name: {"n": len(times), "p50": round(percentile(times, .5) * 1000, 1),
                                        "p99": round(percentile(times, .99) * 1000, 1)}
                                 for name, times in sorted(room.answer_times.items())},
        "transaction_groups_by_command": command_groups(stack.dir),
        "web": {"requests": len(web["times"]), "per_s": round(len(web["times"]) / elapsed, 1),
                "p50_ms": round(percentile(web["times"], .5) * 1000, 1),
                "p99_ms": round(percentile(web["times"], .99) * 1000, 1), "errors": web["errors"][:5]},
        "web_acceptances": (dict(presidency.summary(args.accept_rate), accepted_in_database=accepted_in_database)
                            if presidency else None),
        "cpu_percent": {n: round((busy[n][0] - start[n][0]) / elapsed * 100, 1) for n in busy
                        if busy.get(n) and start.get(n)},
        "rss_mb_idle": {n: round(idle[n][1] / 1024, 1) for n in named if idle.get(n)},
        "rss_mb_loaded": {n: round(busy[n][1] / 1024, 1) for n in named if busy.get(n)},
        # A server process that left during the run (gunicorn recycles a worker after max_requests; a crash shows in
        # the stack's web.log, which the run also scans below).
        "processes_gone": sorted(n for n in named if not busy.get(n)),
        "kb_per_connection": {p: round((busy[f"live:{p}"][1] - idle[f"live:{p}"][1]) / max(1, c), 1)
                              for p, c in report["connections_per_live"].items()
                              if busy.get(f"live:{p}") and idle.get(f"live:{p}")},
        "seconds_measured": round(elapsed, 1),
    })
    if args.profile:
        report["profile_live_1"] = shares(args.profile)
    if args.events:
        Path(args.events).write_text(json.dumps({
            seq: {"command": room.name_of.get(seq), "sent": room.sent[seq], "acked": room.acked_at.get(seq),
                  "first": min(arrivals[seq]), "median": statistics.median(arrivals[seq]),
                  "p99": percentile(arrivals[seq], .99), "last": max(arrivals[seq]), "watchers": len(arrivals[seq])}
            for seq in sorted(room.sent) if seq in arrivals}), encoding="utf-8")


def _by_name(room, arrivals) -> dict[str, list[float]]:
    """The fan-out (ack → last watcher) of each event, by the command that made it."""
    times: dict[str, list[float]] = {}
    for seq, acked in room.acked_at.items():
        if seq in arrivals:
            times.setdefault(room.name_of.get(seq, "?"), []).append(max(arrivals[seq]) - acked)
    return times


#: Where a sample of the live process's event loop (main thread) is counted: walking from the innermost frame out,
#: the first frame that matches a mark decides (the most specific marks of a frame first).
LOOP_KINDS = (
    ("encoding", ("(json/", "dumps (cop/live")),
    # broadcast's work per connection: the frame built (header, no compression) and written to the socket
    ("socket writes", ("Transport.write (asyncio", "_write_ready", "broadcast (websockets", "send_data (websockets",
                       "Connection.send (websockets", "send_frame", "write_frame", "sendmsg", "writelines",
                       "send_text (websockets", "(websockets/frames", "Protocol.state (websockets")),
    ("database: the bus and reads in the event loop (psycopg, SQLAlchemy)", ("(psycopg", "(sqlalchemy")),
    ("reading frames", ("_read_ready", "data_received", "receive_data", "Connection.recv (websockets",
                        "parse (websockets", "handshake")),
    ("waiting (idle)", ("select (selectors",)),
    ("other (COP's Python in the loop: rooms, presence, commands' framing)", ("(cop/",)),
    ("event loop", ("(asyncio/", "(concurrent/futures", "(websockets/")),
)
#: The same for the worker threads that run the transactions (live-read_*, live-write_*).
DATABASE_KINDS = (
    ("waiting (idle)", ("_worker (concurrent/futures/thread.py",)),  # only when it is the innermost frame
    ("database: PostgreSQL round trips and the driver (psycopg)", ("(psycopg",)),
    ("database: the ORM (SQLAlchemy)", ("(sqlalchemy",)),
    ("database: mail rendering in the transaction (cop/notify, Jinja)", ("(jinja2", "(cop/notify")),
    ("database: COP's commands in Python (rulebook, domain, logs)", ("(cop/",)),
)


def classify(frames: list[str]) -> str:
    """The kind of work of one py-spy stack (its first frame names the thread)."""
    thread = frames[0]
    inner = frames[1:][::-1]
    if "live-read" in thread or "live-write" in thread:
        if inner and DATABASE_KINDS[0][1][0] in inner[0]:
            return DATABASE_KINDS[0][0]
        for frame in inner:
            for kind, marks in DATABASE_KINDS[1:]:
                if any(mark in frame for mark in marks):
                    return kind
        return "database: other work in the worker threads"
    if "MainThread" not in thread:
        return "other threads"
    for frame in inner:
        for kind, marks in LOOP_KINDS:
            if any(mark in frame for mark in marks):
                return kind
    return "event loop"


def shares(path: str) -> dict:
    """The shares of the live process's busy samples per kind of work, from py-spy's raw output (one stack and its
    count a line): encoding, socket writes, the database (worker threads, and the bus), reading frames, the event
    loop, other; the idle samples (select, an idle worker) are counted apart. py-spy samples every thread 100 times a
    second: a worker thread waiting for PostgreSQL counts as busy in "round trips" (wall time, not CPU)."""
    counts: dict[str, int] = {}
    loop_counts: dict[str, int] = {}
    with open(path) as handle:
        for line in handle:
            stack, _, number = line.rstrip().rpartition(" ")
            if stack and number.isdigit():
                frames = stack.split(";")
                kind = classify(frames)
                counts[kind] = counts.get(kind, 0) + int(number)
                if "MainThread" in frames[0]:
                    loop_counts[kind] = loop_counts.get(kind, 0) + int(number)
    idle = counts.pop("waiting (idle)", 0)
    busy = sum(counts.values())
    database = sum(n for kind, n in counts.items() if kind.startswith("database"))
    summary = {"samples": busy + idle, "idle (select, idle worker threads)": f"{100 * idle / max(1, busy + idle):.0f} "
               "% of all samples", "of the busy samples": {}}
    top = {"database (all)": database, **{k: n for k, n in counts.items() if not k.startswith("database")}}
    for kind, n in sorted(top.items(), key=lambda kv: -kv[1]):
        summary["of the busy samples"][kind] = f"{100 * n / max(1, busy):.1f} %"
    summary["database, in detail"] = {kind: f"{100 * n / max(1, busy):.1f} %" for kind, n in
                                      sorted(counts.items(), key=lambda kv: -kv[1]) if kind.startswith("database")}
    loop = {kind: n for kind, n in loop_counts.items() if kind != "waiting (idle)"}
    summary["the event loop's own busy samples (main thread)"] = {
        kind: f"{100 * n / max(1, sum(loop.values())):.1f} %"
        for kind, n in sorted(loop.items(), key=lambda kv: -kv[1])}
    return summary


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
