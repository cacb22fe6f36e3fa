"""CPU and statements of a COP's public page built with every cache empty, on a database seeded already.

    python bench/cold_cop_page.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/<seeded>
                                  [--conference 16] [--builds 15] [--html DIR]

The database is one `bench/http_public.py --pg <url>` filled (the national data set); nothing is written to it.
In this process, the page `/portail/cop/<id>` is asked once (the process warms up), then --builds times with the
page cache and the parts cache emptied before each: prints the median and best CPU (`time.process_time`) and
wall time of a build and its statements (counted by a `before_cursor_execute` listener), with the load average.
Run it from two checkouts alternately to compare them on the same machine at the same time.

With --html DIR it also writes, built cold, the COP page, the page of two of its filières and the secretariat's
synthesis (signed in as the first account), in French and in English, to DIR/<page>.<lang>.html: `diff -r` two
such directories to show that a change leaves what the pages say byte for byte the same.
"""
import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event, select, text  # noqa: E402

from cop import create_app  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402
from cop.reference.models import Sector  # noqa: E402

CACHES = ("cop_page_cache", "cop_part_cache")


def _empty(app) -> None:
    """Forget every cached page and part of this process."""
    for name in CACHES:
        app.extensions.pop(name, None)


def measure(app, path: str, builds: int) -> None:
    """Print the figures of `builds` cold builds of `path`."""
    counted = [0]

    def count(*_args) -> None:
        counted[0] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    client = app.test_client()
    assert client.get(path).status_code == 200
    cpu, wall, statements = [], [], []
    for _ in range(builds):
        _empty(app)
        counted[0] = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        assert client.get(path).status_code == 200
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        statements.append(counted[0])
    print(f"{path}, every cache empty, {builds} builds: CPU median {statistics.median(cpu):.1f} ms, best "
          f"{min(cpu):.1f} ms; wall median {statistics.median(wall):.1f} ms; {statistics.median(statements):.0f} "
          f"statements (load {os.getloadavg()[0]:.1f})")


def write_pages(app, conference_id: int, out: str) -> None:
    """Write the pages built cold, in French and English, for a byte comparison between two checkouts."""
    os.makedirs(out, exist_ok=True)
    with app.app_context():
        account = db.session.execute(text("SELECT id FROM user_account ORDER BY id LIMIT 1")).scalar()
        codes = db.session.scalars(select(Sector.code).order_by(Sector.position, Sector.id)).all()
    pages = {"cop": f"/portail/cop/{conference_id}", "secretariat": f"/cop/{conference_id}/synthese",
             **{f"sector-{code}": f"/portail/cop/{conference_id}/filieres/{code}" for code in codes[:1] + codes[-1:]}}
    for lang in ("fr", "en"):
        client = app.test_client()
        with client.session_transaction() as session:
            session["lang"], session["_user_id"], session["_fresh"] = lang, str(account), True
        for name, path in pages.items():
            _empty(app)
            answer = client.get(path)
            with open(os.path.join(out, f"{name}.{lang}.html"), "wb") as f:
                f.write(answer.data)
            print(f"{name}.{lang}.html: {answer.status_code}, {len(answer.data)} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--conference", type=int, default=16)
    parser.add_argument("--builds", type=int, default=15)
    parser.add_argument("--html", help="also write the pages built cold to this directory")
    args = parser.parse_args()
    app = create_app(type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": args.database_url,
                                                     "TESTING": True, "SECRET_KEY": "bench"}))
    if args.html:
        write_pages(app, args.conference, args.html)
    measure(app, f"/portail/cop/{args.conference}", args.builds)


if __name__ == "__main__":
    main()
