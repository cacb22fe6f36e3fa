"""Requests per second and latency of the public pages at national scale, against a minimal Flask page.

    python bench/http_public.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/publicbench] [--duration 10]
                                [--passes 3] [--writes] [--live-rate 40] [--accept-rate 1] [--skip-sqlite]
                                [--cold-only] [--threads 4]

Builds the national dataset of bench/synthesis.py (every EPCI a party of its region's COP, 5 commitments of two
versions each) in a scratch database (a temporary SQLite file, or the PostgreSQL database given by --pg, whose
public schema is dropped), serves the app with gunicorn (2 sync workers; with --threads N, 2 gthread workers of N
threads, as deploy/gunicorn.conf.py runs it), and measures with wrk (32 connections,
2 threads) the home page, a COP page with its synthesis, an EPCI's page and an API list; then, on the same
gunicorn configuration, a minimal Flask page rendered from a Jinja template (bench/ceiling_app.py) as the ceiling.
Prints requests/s, p50 and p99 and the ratio to the ceiling, per pass and the median of the passes.

With --writes, during every pass (the ceiling's too, so that both see the same machine), real writes run
(bench/public_writes.py): a live public vote in the measured COP through `python -m cop.live` and websockets
clients at --live-rate commands per second (vote.cast / vote.change, a vote closed into a decision every few
seconds), and the presidency accepting --accept-rate submitted commitment versions per second in that same COP.
The cold build times (median of 7, wall and CPU of the bench process) are printed three times: a page with an
empty page cache (its cached parts, such as the synthesis's filières, kept), with every cache empty, and just after
a real acceptance in the measured COP (which renews that COP's pages and the accepted filière's part only).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import public_writes  # noqa: E402
import synthesis as national  # noqa: E402  (bench/synthesis.py: the national dataset builder)
from sqlalchemy import func, select  # noqa: E402

from cop import create_app  # noqa: E402
from cop.commitments.models import Commitment  # noqa: E402
from cop.conferences.models import Conference, Party  # noqa: E402
from cop.reference.models import Sector  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402

CONNECTIONS, THREADS, WORKERS = 32, 2, 2


def build(url: str) -> tuple[dict[str, str], int]:
    """Fill the scratch database; return the paths to measure and the measured COP's id."""
    app = national._app(url)
    with app.app_context():
        national._build(100)
        largest = max(db.session.scalars(select(Conference)), key=lambda c: db.session.scalar(
            select(func.count(Party.id)).filter_by(conference_id=c.id)))
        party = db.session.scalar(select(Party).filter_by(conference_id=largest.id).order_by(Party.id))
        sector = db.session.scalar(select(Sector.code).join(Commitment, Commitment.sector_id == Sector.id)
                                   .where(Commitment.conference_id == largest.id).order_by(Sector.position).limit(1))
        paths = {"accueil": "/", "page d’une COP (synthèse)": f"/portail/cop/{largest.id}",
                 "page d’une filière": f"/portail/cop/{largest.id}/filieres/{sector}",
                 "page d’un EPCI": f"/portail/territoires/epci/{party.territory.code}",
                 "API : liste d’engagements": f"/api/v1/conferences/{largest.id}/commitments"}
        db.session.remove()
        db.engine.dispose()
    return paths, largest.id


def _app(url: str):
    """An app on the bench database, in-process."""
    return create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                                                      "SECRET_KEY": "bench"}))


def _acceptances(app, conference_id: int):
    """A presidency account and an iterator accepting, at each step, one submitted version of the COP (through
    the review function the review page calls): what changes the measured pages during a COP."""
    from cop.auth.models import User
    from cop.commitments import submission
    from cop.commitments.models import CommitmentVersion
    from cop.conferences.models import Membership

    with app.app_context():
        chair = User(email="cold-presidency@bench.test", name="Présidence (mesure à froid)")
        db.session.add(chair)
        db.session.flush()
        db.session.add(Membership(user_id=chair.id, conference_id=conference_id, role="presidency"))
        db.session.commit()
        chair_id = chair.id
        pending = db.session.scalars(
            select(CommitmentVersion.id).join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
            .where(Commitment.conference_id == conference_id, CommitmentVersion.status == "submitted")
            .order_by(CommitmentVersion.id.desc())).all()
    for version_id in pending:
        with app.app_context():
            submission.review(db.session.get(User, chair_id), db.session.get(CommitmentVersion, version_id), True, "")
            db.session.commit()
        yield version_id


def cold(url: str, paths: dict[str, str], conference_id: int) -> dict[str, tuple[float, ...]]:
    """Median time to build each page in-process, wall and CPU of this process: with an empty page cache (its
    cached parts kept), with every cache empty, and just after an acceptance in the measured COP (what the first
    reader after a change pays: the page and the accepted filière's part of the synthesis rebuilt)."""
    app = _app(url)
    client, out = app.test_client(), {}
    accept = _acceptances(app, conference_id)
    for label, path in paths.items():
        assert client.get(path).status_code == 200, path
        timings = []
        for caches in (("cop_page_cache",), ("cop_page_cache", "cop_part_cache"), "acceptance"):
            times, cpu = [], []
            for _ in range(7):
                if caches == "acceptance":
                    assert client.get(path).status_code == 200, path  # everything cached, then one acceptance
                    next(accept)
                else:
                    for name in caches:
                        app.extensions.pop(name, None)
                start, start_cpu = time.perf_counter(), time.process_time()
                assert client.get(path).status_code == 200, path
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            timings += [statistics.median(times), statistics.median(cpu)]
        out[label] = tuple(timings)
    with app.app_context():
        db.engine.dispose()
    return out


def serve(target: str, port: int, env: dict, threads: int = 1) -> subprocess.Popen:
    """gunicorn with the bench's configuration (sync workers, or gthread with `threads` threads each, as
    deploy/gunicorn.conf.py runs it), ready when it answers."""
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
                                *(["--threads", str(threads)] if threads > 1 else []),
                                "--log-level", "warning", target], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn {target} did not start")


def _ms(text: str) -> float:
    """A wrk duration ("812.00us", "3.2ms", "1.1s") in milliseconds."""
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(url: str, duration: int) -> tuple[float, float, float]:
    """requests/s, p50 and p99 in ms, after a short warm-up."""
    subprocess.run(["wrk", "-t1", "-c4", "-d2s", url], capture_output=True, check=True)
    out = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors:\n{out}")
    return rate, p50, p99


def one_pass(engine: str, env: dict, paths: dict[str, str], duration: int, writes, threads: int = 1) -> list[tuple]:
    """The ceiling, then every page type, on fresh gunicorn servers; with the writes running throughout."""
    running = writes() if writes else None
    rows = []
    try:
        for target, measured in (("bench.ceiling_app:app", {"plafond": "/"}), ("wsgi:app", paths)):
            port = public_writes.free_port()
            server = serve(target, port, env, threads)
            try:
                for label, path in measured.items():
                    rows.append((engine, label, *measure(f"http://127.0.0.1:{port}{path}", duration)))
            finally:
                server.terminate()
                server.wait(30)
    finally:
        if running:
            done = running.finish()
            print(f"{engine:<10} écritures pendant la passe : {done['live_per_s']:.1f} commandes en direct/s "
                  f"acquittées ({done['refused']} refusées), {done['accepted_per_s']:.2f} acceptations/s "
                  f"({done['accept_failed']} échouées) {done['messages']}", flush=True)
    return rows


def run(engine: str, url: str, args) -> list[list[tuple]]:
    """Measure the ceiling and every public page type on one database engine, args.passes times."""
    paths, conference_id = build(url)
    print(f"{engine:<10} gunicorn : {WORKERS} workers × {args.threads} thread(s)", flush=True)
    print(f"{engine:<10} pages sans cache, médiane de 7, horloge / CPU du processus "
          f"(charge moyenne {os.getloadavg()[0]:.1f}) ; objectif, page d’une COP : < 30 ms",
          flush=True)
    for label, (page, page_cpu, every, every_cpu, after, after_cpu) in cold(url, paths, conference_id).items():
        print(f"{engine:<10} sans cache : {label:<28} {page:7.1f} / {page_cpu:5.1f} ms (page seule), "
              f"{every:7.1f} / {every_cpu:5.1f} ms (aucun cache), {after:7.1f} / {after_cpu:5.1f} ms (après une "
              "acceptation dans la COP)", flush=True)
    if args.cold_only:
        return []
    env = {**os.environ, "COP_DATABASE_URL": url, "SECRET_KEY": "bench", "COP_ENV": "bench"}
    live = writes = None
    if args.writes:
        app = _app(url)
        seeded = public_writes.seed(app, conference_id)
        live, port = public_writes.start_live(public_writes.environment(url))
        writes = lambda: public_writes.Writes(app, seeded, port, args.live_rate, args.accept_rate).start()  # noqa
    passes = []
    try:
        for number in range(1, args.passes + 1):
            print(f"{engine:<10} passe {number}/{args.passes}, charge moyenne {os.getloadavg()[0]:.1f} "
                  f"({os.cpu_count()} processeurs)", flush=True)
            passes.append(one_pass(engine, env, paths, args.duration, writes, args.threads))
            report(passes[-1])
    finally:
        if live:
            live.terminate()
            live.wait(30)
    return passes


def report(rows: list[tuple]) -> None:
    """Print the Markdown table with the ratio to the ceiling of the same engine."""
    print("\n| moteur | page | req/s | p50 | p99 | rapport au plafond |")
    print("|---|---|---:|---:|---:|---:|")
    ceilings = {engine: rate for engine, label, rate, *_ in rows if label == "plafond"}
    for engine, label, rate, p50, p99 in rows:
        print(f"| {engine} | {label} | {rate:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {rate / ceilings[engine]:.2f}× |"
              .replace(",", "\u202f"), flush=True)


def medians(passes: list[list[tuple]]) -> None:
    """Per page: the median over the passes of the rate, p50, p99 and ratio, beside the goal."""
    print("\n| moteur | page | req/s | p50 | p99 | rapport au plafond | objectif (≥ 0,25×, p99 < 100 ms) |")
    print("|---|---|---:|---:|---:|---:|---|")
    for index, (engine, label, *_) in enumerate(passes[0]):
        rows = [rows[index] for rows in passes]
        ratios = [row[2] / next(r[2] for r in rows_ if r[1] == "plafond") for row, rows_ in zip(rows, passes)]
        rate, p50, p99 = (statistics.median(row[i] for row in rows) for i in (2, 3, 4))
        ratio = statistics.median(ratios)
        met = "—" if label == "plafond" else ("atteint" if ratio >= 0.25 and p99 < 100 else "NON atteint")
        print(f"| {engine} | {label} | {rate:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {ratio:.2f}× | {met} |"
              .replace(",", "\u202f"))


def main() -> None:
    """Parse the arguments, run on SQLite then on PostgreSQL when given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("COP_BENCH_PG"), help="PostgreSQL URL of a scratch database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--passes", type=int, default=3, help="passes; the medians are printed at the end")
    parser.add_argument("--writes", action="store_true", help="run a live vote and acceptances while measuring")
    parser.add_argument("--live-rate", type=float, default=40, help="live commands per second (with --writes)")
    parser.add_argument("--accept-rate", type=float, default=1, help="acceptances per second (with --writes)")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (1: sync workers; deploy/gunicorn.conf.py runs 4)")
    parser.add_argument("--cold-only", action="store_true", help="only the build times with empty caches")
    args = parser.parse_args()
    passes = []
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            passes += run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args)
    if args.pg:
        passes += run("PostgreSQL", args.pg, args)
    by_engine: dict[str, list] = {}
    for rows in filter(None, passes):
        by_engine.setdefault(rows[0][0], []).append(rows)
    for engine_passes in by_engine.values():
        medians(engine_passes)


if __name__ == "__main__":
    main()
