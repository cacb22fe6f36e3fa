"""Time « Mon territoire » lookups on the national data, on SQLite and (optionally) PostgreSQL.

    python bench/place_search.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/placebench] [--repeat 30]

Builds a scratch database (a temporary SQLite file; the PostgreSQL database given by --pg or COP_BENCH_PG, whose
public schema is dropped and re-created — never point it at a database you care about) with the seeded territories
(34,875 communes, 45 arrondissements, 1,255 EPCI, 11 EPT). Prints the time to build the place index once per
process, then for each query of the issue (exact names, arrondissements, postcodes, abbreviations, typos, hostile
input) the best and median time of `places.lookup()` — the index and the database reads of the communes found —
and what it found, with the machine's load average.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from cop import create_app, models  # noqa: E402,F401  (every model first: avoids import cycles)
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402
from cop.public import places  # noqa: E402
from cop.territories import names  # noqa: E402
from cop.territories.seed import load_territories  # noqa: E402

QUERIES = ["Lyon", "Paris 15e", "Lyon 3e", "Marseille 8e arrondissement", "75015", "13008", "69003", "St-Étienne",
           "Ste-Foy-lès-Lyon", "saint genis", "Saint-Denis", "Montreuil", "villeurbane", "grenobel",
           "clermont ferand", "st etiene", "'; DROP TABLE commune; --", "%_%", "x" * 5000]


def _app(url: str):
    """An app bound to the scratch database, with a fresh schema and the territories loaded."""
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        load_territories(db.session)
        db.session.commit()
    return app


def _found(result: places.Lookup) -> str:
    """What a lookup found, in a few words."""
    epci = result.single_epci
    if epci is not None:
        return f"→ {epci.name}"
    shown = [c.name for c in result.communes[:3]] + [t.name for t in result.epcis[:2]]
    mark = "~" if result.approximate else ""
    return f"{len(result.communes) + len(result.epcis)} {mark}[{', '.join(shown)}]"


def run(url: str, repeat: int) -> None:
    """Print the index build and each query's times on one database."""
    app = _app(url)
    with app.test_request_context():
        start = time.perf_counter()
        names.index()
        built = time.perf_counter() - start
        print(f"\n{db.engine.dialect.name}: index of {len(names.index().places)} names built in {built * 1000:.0f} ms")
        print(f"{'query':32} {'best ms':>8} {'median':>8}  found")
        for query in QUERIES:
            times = []
            for _ in range(repeat):
                db.session.expunge_all()
                start = time.perf_counter()
                result = places.lookup(query)
                times.append((time.perf_counter() - start) * 1000)
            print(f"{query[:30]!r:32} {min(times):8.2f} {statistics.median(times):8.2f}  {_found(result)}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default=os.environ.get("COP_BENCH_PG"))
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/places.sqlite3", args.repeat)
    if args.pg:
        run(args.pg, args.repeat)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
