"""Requests per second and latency of the public pages at national scale, against a minimal Flask page.

    python bench/http_public.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/publicbench] [--duration 10]

Builds the national dataset of bench/synthesis.py (every EPCI a party of its region's COP, 5 commitments of two
versions each) in a scratch database (a temporary SQLite file, or the PostgreSQL database given by --pg, whose
public schema is dropped), serves the app with gunicorn (2 sync workers), and measures with wrk (32 connections,
2 threads) the home page, a COP page with its synthesis, an EPCI's page and an API list; then, on the same
gunicorn configuration, a minimal Flask page rendered from a Jinja template (bench/ceiling_app.py) as the ceiling.
Prints requests/s, p50 and p99 and the ratio to the ceiling.
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

import synthesis as national  # noqa: E402  (bench/synthesis.py: the national dataset builder)
from sqlalchemy import func, select  # noqa: E402

from cop import create_app  # noqa: E402
from cop.conferences.models import Conference, Party  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402

CONNECTIONS, THREADS, WORKERS = 32, 2, 2


def build(url: str) -> dict[str, str]:
    """Fill the scratch database; return the paths to measure."""
    app = national._app(url)
    with app.app_context():
        national._build(100)
        largest = max(db.session.scalars(select(Conference)), key=lambda c: db.session.scalar(
            select(func.count(Party.id)).filter_by(conference_id=c.id)))
        party = db.session.scalar(select(Party).filter_by(conference_id=largest.id).order_by(Party.id))
        paths = {"accueil": "/", "page d’une COP (synthèse)": f"/portail/cop/{largest.id}",
                 "page d’un EPCI": f"/portail/territoires/epci/{party.territory.code}",
                 "API : liste d’engagements": f"/api/v1/conferences/{largest.id}/commitments"}
        db.session.remove()
        db.engine.dispose()
    return paths


def cold(url: str, paths: dict[str, str]) -> dict[str, float]:
    """Median time to build each page in-process with an empty page cache (what a change of the data costs)."""
    app = create_app(type("ColdConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True}))
    client, out = app.test_client(), {}
    for label, path in paths.items():
        times = []
        for _ in range(5):
            app.extensions.pop("cop_page_cache", None)
            start = time.perf_counter()
            assert client.get(path).status_code == 200, path
            times.append((time.perf_counter() - start) * 1000)
        out[label] = statistics.median(times)
    with app.app_context():
        db.engine.dispose()
    return out


def serve(target: str, port: int, env: dict) -> subprocess.Popen:
    """gunicorn with the bench's configuration, ready when it answers."""
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
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


def run(engine: str, url: str, duration: int) -> list[tuple]:
    """Measure the ceiling and every public page type on one database engine."""
    paths = build(url)
    for label, ms in cold(url, paths).items():
        print(f"{engine:<10} sans cache : {label:<28} {ms:7.1f} ms", flush=True)
    env = {**os.environ, "COP_DATABASE_URL": url, "SECRET_KEY": "bench", "COP_ENV": "bench"}
    rows = []
    for _name, target, measured in (("plafond : page Flask minimale", "bench.ceiling_app:app", {"plafond": "/"}),
                                   ("COP", "wsgi:app", paths)):
        port = 18000 + len(rows)
        server = serve(target, port, env)
        try:
            for label, path in measured.items():
                rows.append((engine, label, *measure(f"http://127.0.0.1:{port}{path}", duration)))
        finally:
            server.terminate()
            server.wait(30)
    return rows


def report(rows: list[tuple]) -> None:
    """Print the Markdown table with the ratio to the ceiling of the same engine."""
    print("\n| moteur | page | req/s | p50 | p99 | rapport au plafond |")
    print("|---|---|---:|---:|---:|---:|")
    ceilings = {engine: rate for engine, label, rate, *_ in rows if label == "plafond"}
    for engine, label, rate, p50, p99 in rows:
        print(f"| {engine} | {label} | {rate:,.0f} | {p50:.1f} ms | {p99:.1f} ms | {rate / ceilings[engine]:.2f}× |"
              .replace(",", "\u202f"))


def main() -> None:
    """Parse the arguments, run on SQLite then on PostgreSQL when given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("COP_BENCH_PG"), help="PostgreSQL URL of a scratch database")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.duration)
    if args.pg:
        rows += run("PostgreSQL", args.pg, args.duration)
    report(rows)


if __name__ == "__main__":
    main()
