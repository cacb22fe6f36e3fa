"""Contracts: the time to generate and freeze one, to verify them all, to serve its page and to lay out its PDF.

Builds the demo COP carried to its contract (`cop demo --feuille-de-route`) in a fresh SQLite file (or the
PostgreSQL database given), then measures each step several times and prints best / median:
    .venv/bin/python bench/contracts.py [--database-url postgresql+psycopg://…] [--runs 7]
Generation runs in a transaction rolled back each time (the same pair is generated again).
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(fn, runs: int) -> tuple[float, float]:
    """Best and median wall time of fn, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ["COP_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    import logging

    from cop import create_app
    from cop.db import db

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)

    app = create_app()
    with app.app_context(), app.test_request_context():
        db.create_all()
        from cop.demo import build_demo, build_demo_roadmap

        build_demo()
        build_demo_roadmap()
        from cop.contracts import operations, printing, verify
        from cop.contracts.models import Contract
        from cop.auth.models import User

        contract = db.session.scalar(db.select(Contract))
        conference, party, sector = contract.conference, contract.party, contract.sector
        secretariat = db.session.scalar(db.select(User).filter_by(email="secretariat@demo.cop.fr"))
        milestones = [operations.MilestoneInput(m.label, m.due_on, m.amount) for m in contract.milestones]
        db.session.commit()

        def generate():
            with db.session.begin_nested() as nested:
                from sqlalchemy import text

                db.session.execute(text("DELETE FROM contract_disbursement"))
                db.session.execute(text("DELETE FROM contract_signature_act"))
                db.session.execute(text("DELETE FROM contract_signature"))
                db.session.execute(text("DELETE FROM contract_milestone"))
                db.session.execute(text("DELETE FROM contract"))
                operations.generate(secretariat, conference, party, sector, milestones)
                nested.rollback()

        print(f"load average: {open('/proc/loadavg').read().split()[:3]}")
        print("engine:", db.engine.dialect.name)
        best, median = timed(generate, args.runs)
        print(f"generate + freeze one contract: best {best:.1f} ms, median {median:.1f} ms")
        db.session.rollback()
        best, median = timed(lambda: verify.verify_all(), args.runs)
        print(f"cop contract verify (1 contract, 3 acts): best {best:.1f} ms, median {median:.1f} ms")
        client = app.test_client()
        url = f"/cop/{conference.id}/contrats/{contract.number}"
        best, median = timed(lambda: client.get(url), args.runs)
        print(f"contract page GET: best {best:.1f} ms, median {median:.1f} ms")
        def layout():
            printing._kept.clear()  # the layout itself, not the worker's kept copy
            printing.render_pdf(db.session.get(Contract, contract.id))
        best, median = timed(layout, max(3, args.runs // 2))
        print(f"contract PDF layout: best {best:.1f} ms, median {median:.1f} ms")
        client.get(url + ".pdf")
        best, median = timed(lambda: client.get(url + ".pdf"), args.runs)
        print(f"contract PDF download, kept by the worker: best {best:.1f} ms, median {median:.1f} ms")
        print(f"load average after: {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
