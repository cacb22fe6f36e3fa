"""Time the roadmap of the largest region at national scale: draft, freeze, HTML page, PDF, verification.

    python bench/roadmap.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/roadbench] [--share 100]
                            [--layouts 3] [--skip-sqlite] [--profile layout.pstats]

Reuses the data builder of bench/synthesis.py (18 regional COPs, every EPCI a party with 5 filières × 3
indicators, two versions each, a support request and a site per version) in a scratch database — a temporary
SQLite file, or the PostgreSQL database given by --pg / COP_BENCH_PG, whose public schema is dropped and
re-created. Then, on the largest region's COP: generate a draft (consolidation), submit it to a plenary and adopt
it (canonical JSON + SHA-256), render the public page, lay out the PDF, render and store it as the background
thread does after an adoption, serve the stored bytes, and re-verify the hash. Goals: draft < 1 s, PDF layout
< 5 s, stored PDF served < 100 ms. Wall and CPU times are printed with the load average: on a shared machine the
CPU time is the steadier figure.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthesis as national  # noqa: E402  (bench/synthesis.py: the national-scale data builder)
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from cop.auth.models import User  # noqa: E402
from cop.conferences.models import Conference, Membership, Party  # noqa: E402
from cop.db import db  # noqa: E402
from cop.meetings.models import Meeting  # noqa: E402
from cop.negotiation.decisions.models import Decision  # noqa: E402
from cop.roadmap import adoption, documents, freeze, printing, services  # noqa: E402
from cop.signals import decision_adopted  # noqa: E402


def _timed(label: str, times: dict, run):
    """Run once, keep the wall and CPU times in milliseconds under the label, return the result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    times[label] = ((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000)
    return result


def _setup(conference: Conference) -> tuple[User, Meeting]:
    """A secretariat account and an open closing plenary; the COP in its adoption phase."""
    user = User(email="secretariat@bench.fr", name="Secrétariat", password_hash="x")
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, conference_id=conference.id, role="secretariat", is_accredited=True))
    meeting = Meeting(conference_id=conference.id, kind="plenary", title="Plénière de clôture", state="open",
                      starts_dt=datetime(2027, 6, 1, tzinfo=timezone.utc), chair_id=user.id)
    db.session.add(meeting)
    conference.phase = "adoption"
    db.session.commit()
    return user, meeting


def _adopt(conference: Conference, version, item, user) -> None:
    """The plenary's decision on the item, sent as the negotiation sends it."""
    decision = Decision(conference_id=conference.id, number=1, meeting_id=item.meeting_id, agenda_item_id=item.id,
                        mode="consensus", outcome="adopted", text="Adoptée", chair_id=user.id)
    db.session.add(decision)
    db.session.flush()
    decision_adopted.send(decision)


def run(engine: str, url: str, share: int, layouts: int = 3, profile: str | None = None) -> dict:
    """Build the national data, then time each step on the largest region."""
    app, times = national._app(url), {}
    app.config["COP_ROADMAP_PDF_BACKGROUND"] = False  # rendered below, in the foreground, to be timed
    import weasyprint  # noqa: F401  (loaded once per server process: not part of a layout)
    with app.app_context():
        counts = national._build(share)
        largest = max(db.session.scalars(select(Conference)).all(), key=lambda c: db.session.scalar(
            select(func.count(Party.id)).filter_by(conference_id=c.id)))
        user, meeting = _setup(largest)
        version = _timed("draft", times, lambda: services.generate_draft(user, largest))
        db.session.commit()
        db.session.expire_all()
        _timed("draft (2e, après relecture)", times, lambda: services.generate_draft(user, largest))
        db.session.commit()
        version = services.latest(services.roadmap_of(largest))
        item = adoption.submit(user, version, meeting)
        _timed("adoption (JSON canonique + SHA-256)", times, lambda: _adopt(largest, version, item, user))
        db.session.commit()
        client = app.test_client()
        page = _timed("page HTML", times, lambda: client.get(f"/cop/{largest.id}/feuille-de-route"))
        assert page.status_code == 200, page.status_code
        with app.test_request_context():
            document, passes = None, []
            for _ in range(layouts):  # the layout alone, median of the passes (a pass that fails is reported)
                try:
                    document = _timed("PDF : mise en page", times, lambda: documents.render_document(version))
                    passes.append(times["PDF : mise en page"])
                except Exception as error:  # noqa: BLE001  (kept measured passes count more than one failure)
                    print(f"  passe de mise en page échouée : {error!r}", flush=True)
            times["PDF : mise en page"] = (statistics.median(w for w, _ in passes),
                                           statistics.median(c for _, c in passes))
            if profile:  # one more layout under cProfile, its statistics written for pstats / snakeviz
                import cProfile
                profiler = cProfile.Profile()
                profiler.runcall(documents.render_document, version)
                profiler.dump_stats(profile)
            print(f"  mise en page, {len(passes)} passes (horloge / CPU, ms) : "
                  + ", ".join(f"{w:.0f} / {c:.0f}" for w, c in passes), flush=True)
            pdf = _timed("PDF : écriture", times, document.write_pdf)
            _timed("PDF : rendu et enregistrement (arrière-plan)", times, lambda: printing.store(version))
        served = _timed("PDF enregistré : servi", times, lambda: client.get(
            f"/cop/{largest.id}/feuille-de-route/v{version.number}.pdf"))
        assert served.status_code == 200 and served.headers["X-Roadmap-PDF-SHA256"], served.status_code
        _timed("vérification", times, lambda: freeze.verify_all(largest.id))
        pages = len(document.pages)
        print(f"\n{engine} — {largest.title} : {counts['party']} parties au total, "
              f"{len(version.content['chapters'])} chapitres, "
              f"{sum(len(c['pledges']) for c in version.content['chapters'])} cibles, "
              f"JSON {len(version.canonical_json) / 1e6:.2f} Mo, PDF {len(pdf) / 1e6:.2f} Mo ({pages} pages)")
        print(f"  {'étape':<46} {'horloge':>10} {'CPU':>10}   objectif   (charge moyenne : "
              f"{os.getloadavg()[0]:.1f}, {os.cpu_count()} cœurs)")
        print(f"  mise en page : médiane de {len(passes)} passes")
        goals = {"draft": "< 1 000 ms", "PDF : mise en page": "< 5 000 ms", "PDF enregistré : servi": "< 100 ms"}
        for label, (wall, cpu) in times.items():
            print(f"  {label:<46} {wall:7.0f} ms {cpu:7.0f} ms   {goals.get(label, '')}")
        db.session.remove()
        db.engine.dispose()
    return times


def main() -> None:
    """Parse the arguments; run on SQLite, then on PostgreSQL when given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("COP_BENCH_PG"), help="PostgreSQL URL of a scratch database")
    parser.add_argument("--share", type=int, default=100, help="share of the EPCI filing, in percent")
    parser.add_argument("--layouts", type=int, default=3, help="layout passes (the median is printed)")
    parser.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", help="write the cProfile statistics of one more layout to this file")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.share, args.layouts, args.profile)
    if args.pg:
        if make_url(args.pg).database in ("test", "postgres", None):
            parser.error("choisissez une base PostgreSQL dédiée au banc d’essai (pas « test » ni « postgres »)")
        run("PostgreSQL", args.pg, args.share, args.layouts, args.profile)


if __name__ == "__main__":
    main()
