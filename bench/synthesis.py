"""Time the commitments synthesis at national scale, on SQLite and (optionally) PostgreSQL.

    python bench/synthesis.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/commitbench] [--sizes 10,50,100]

Builds a scratch database (a temporary SQLite file; the PostgreSQL database given by --pg or
COP_BENCH_PG, whose public schema is dropped and re-created — never point it at a database you care about):
the seeded territories, 18 regional COPs (one per region), every EPCI of the region as a party (or a
share of them), each with commitments in 5 filières × 3 indicators, two versions each (the first
accepted; the second accepted for half of them, submitted for the other half), a support request and
a site per version. Then prints the median time of the synthesis of the largest region and of all
18 regions — in one pass (synthesis.compute_many) and one region after the other — at each size:
the best and the median of several runs, with the machine's load average (other processes inflate
the median).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cop import create_app, models  # noqa: E402,F401  (every model first: avoids import cycles)
from cop.commitments import synthesis  # noqa: E402
from cop.commitments.models import (Commitment, CommitmentVersion, Pledge, Site, SupportRequest,  # noqa: E402
                                    support_request_pledge)
from cop.conferences.models import Conference, Party, Target  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402
from cop.reference.models import Indicator, Sector  # noqa: E402
from cop.reference.seed import load_reference  # noqa: E402
from cop.territories.models import Commune, Territory  # noqa: E402
from cop.territories.seed import load_territories  # noqa: E402

FILIERES, INDICATORS, REPEAT = 5, 3, 9
TABLES = (support_request_pledge, SupportRequest, Site, Pledge, CommitmentVersion, Commitment, Target, Party,
          Conference)


def _app(url: str):
    """An app bound to the scratch database, with a fresh schema and the seeds loaded."""
    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # a scratch database: start from an empty schema
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        db.create_all()
        load_territories(db.session)
        load_reference(db.session)
        db.session.commit()
    return app


def _clear() -> None:
    """Remove the COPs and everything filed in them."""
    for table in TABLES:
        db.session.execute(delete(table))
    db.session.commit()


class Ids:
    """Sequential primary keys, so that rows are inserted in bulk without a round trip each."""

    def __init__(self):
        self.last = {}

    def next(self, name: str) -> int:
        self.last[name] = self.last.get(name, 0) + 1
        return self.last[name]


def _build(share: int) -> dict:
    """Insert 18 COPs with `share` % of the EPCI as filing parties; return the row counts."""
    ids, rows = Ids(), {t: [] for t in ("conference", "party", "target", "commitment", "version", "pledge",
                                        "support", "link", "site")}
    sectors = db.session.scalars(select(Sector.id).order_by(Sector.position)).all()
    indicators = db.session.scalars(select(Indicator.id).order_by(Indicator.position)).all()[:INDICATORS]
    communes = dict(db.session.execute(select(Commune.epci_id, func.min(Commune.id)).group_by(Commune.epci_id)).all())
    regions = db.session.scalars(select(Territory).filter_by(kind="region").order_by(Territory.code)).all()
    for region in regions:
        cid = ids.next("conference")
        rows["conference"].append({"id": cid, "region_id": region.id, "edition_year": 2027, "code": f"B-{region.code}",
                                   "title": f"COP {region.name}", "phase": "call_for_commitments"})
        for s in sectors:
            for i in indicators:
                rows["target"].append({"id": ids.next("target"), "conference_id": cid, "sector_id": s,
                                       "indicator_id": i, "year": 2030, "value": 5000})
        epcis = db.session.scalars(select(Territory).filter_by(kind="epci", region_id=region.id)
                                   .order_by(Territory.code)).all()
        for n, epci in enumerate(epcis):
            if (n * share) // 100 == ((n + 1) * share) // 100:
                continue
            _party(ids, rows, cid, epci, n, sectors, indicators, communes.get(epci.id))
    for table, key in ((Conference, "conference"), (Party, "party"), (Target, "target"), (Commitment, "commitment"),
                       (CommitmentVersion, "version"), (Pledge, "pledge"), (SupportRequest, "support"),
                       (support_request_pledge, "link"), (Site, "site")):
        for start in range(0, len(rows[key]), 5000):
            db.session.execute(insert(table), rows[key][start:start + 5000])
    db.session.commit()
    # What autovacuum would do after such a load. On PostgreSQL a VACUUM too: without it the visibility map is
    # empty, index-only scans fetch the heap and the planner picks other plans than a live database's (the COP
    # page's sums: 8.9 ms instead of 6.8 ms under EXPLAIN ANALYZE, docs/PERFORMANCE.md, cold3).
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {key: len(value) for key, value in rows.items()}


def _party(ids, rows, cid, epci, n, sectors, indicators, commune_id) -> None:
    """One EPCI party with 5 commitments of two versions, 3 pledges, a support request and a site each."""
    pid = ids.next("party")
    rows["party"].append({"id": pid, "conference_id": cid, "territory_id": epci.id, "name": epci.name,
                          "kind": "epci", "accreditation": "accredited"})
    for k in range(FILIERES):
        sector = sectors[(n + 3 * k) % len(sectors)]
        mid = ids.next("commitment")
        second = "accepted" if (n + k) % 2 else "submitted"
        rows["commitment"].append({"id": mid, "conference_id": cid, "party_id": pid, "sector_id": sector,
                                   "status": second, "version": 3})
        for number, status in ((1, "accepted"), (2, second)):
            vid = ids.next("version")
            rows["version"].append({"id": vid, "commitment_id": mid, "number": number, "status": status,
                                    "reference_year": 2025, "target_year": 2030, "scope": "Périmètre",
                                    "actions": "Actions", "is_step_back": False})
            pledge_ids = []
            for position, indicator in enumerate(indicators):
                pledge_ids.append(ids.next("pledge"))
                rows["pledge"].append({"id": pledge_ids[-1], "version_id": vid, "indicator_id": indicator,
                                       "position": position, "reference_year": 2025, "reference_value": 0,
                                       "target_year": 2030, "unconditional_value": 10 * number + position,
                                       "conditional_value": 5})
            sid = ids.next("support")
            rows["support"].append({"id": sid, "version_id": vid, "funder": ("state", "region", "bpifrance")[k % 3],
                                    "amount": 100000, "purpose": "Appui"})
            rows["link"].append({"support_request_id": sid, "pledge_id": pledge_ids[0]})
            if commune_id:
                rows["site"].append({"id": ids.next("site"), "version_id": vid, "name": f"Site {k}",
                                     "commune_id": commune_id, "hectares": 3, "kind": "brownfield"})


class Timing(tuple):
    """(best, median) wall time in milliseconds; printed as "best / median"."""

    def __str__(self) -> str:
        return f"{self[0]:.1f} / {self[1]:.1f} ms"


def _time_ms(run) -> Timing:
    """Best and median wall time of `run` over REPEAT calls after one warm-up, each on a clean session.

    The best run estimates the cost on an idle machine; the median shows what other load adds.
    """
    run()
    times = []
    for _ in range(REPEAT):
        db.session.expire_all()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return Timing((min(times), statistics.median(times)))


def bench(engine: str, url: str, sizes: list[int]) -> list[tuple]:
    """Build each size and time the synthesis of the largest region and of every region."""
    app, out = _app(url), []
    with app.app_context():
        for share in sizes:
            _clear()
            counts = _build(share)
            conferences = db.session.scalars(select(Conference)).all()
            largest = max(conferences, key=lambda c: db.session.scalar(
                select(func.count(Party.id)).filter_by(conference_id=c.id)))
            one = _time_ms(lambda: synthesis.compute(largest))
            every = _time_ms(lambda: synthesis.compute_many(conferences))
            each = _time_ms(lambda: [synthesis.compute(c) for c in conferences])
            out.append((engine, share, counts["party"], counts["commitment"], counts["version"], counts["pledge"],
                        largest.title, one, every, each))
            print(f"{engine:<10} {share:>3} % {counts['party']:>5} EPCI {counts['commitment']:>6} engagements "
                  f"{counts['version']:>6} versions {counts['pledge']:>6} cibles | {largest.title}: {one} "
                  f"| 18 régions en une passe : {every} | une par une : {each} "
                  f"| charge {os.getloadavg()[0]:.1f}", flush=True)
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    """Parse the arguments, run SQLite then PostgreSQL when given, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("COP_BENCH_PG"), help="PostgreSQL URL of a scratch database")
    parser.add_argument("--sizes", default="10,50,100", help="shares of the EPCI, in percent")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results += bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3", sizes)
    if args.pg:
        if make_url(args.pg).database in ("test", "postgres", None):
            parser.error("choisissez une base PostgreSQL dédiée au banc d’essai (pas « test » ni « postgres »)")
        results += bench("PostgreSQL", args.pg, sizes)
    print(f"\nmeilleur / médian sur {REPEAT} essais ; {os.cpu_count()} processeurs, "
          f"charge moyenne {os.getloadavg()[0]:.1f}")
    print("\n| moteur | EPCI | parties | engagements | versions | cibles | 1 région (la plus grande) "
          "| 18 régions, une passe | 18 régions, une par une |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for engine, share, parties, commitments, versions, pledges, _title, one, every, each in results:
        print(f"| {engine} | {share} % | {parties} | {commitments} | {versions} | {pledges} | {one} "
              f"| {every} | {each} |")


if __name__ == "__main__":
    main()
