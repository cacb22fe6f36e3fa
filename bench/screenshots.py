"""Screenshots of the faces of a COP, in French and English, at 1366 px and 390 px (and the projector at 1920 px).

    python bench/screenshots.py [--out bench/out/screenshots] [--only projector,room]

Builds the AURA demo COP in a temporary SQLite database, starts the web app (werkzeug, free port) and the live
server (`python -m cop.live`, free port), then opens Debian's Chromium (Playwright) on: the home page, a COP's
public page, the synthesis, a territory, the meeting room, the projector during a vote and after the decision, and
the roadmap. Each page is saved whole as <name>-<lang>-<width>.png; the script prints every file with its height
and whether the page scrolls sideways (a page wider than the window fails the phone check).
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from werkzeug.serving import make_server  # noqa: E402

from cop import create_app, models  # noqa: E402,F401  (every model first)
from cop.auth.models import User  # noqa: E402
from cop.conferences.models import Conference, Party  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db, utcnow  # noqa: E402
from cop.demo import HEAD_CLERMONT, HEAD_GRENOBLE, HEAD_LYON, PRESIDENCY, SECRETARIAT, build_demo  # noqa: E402
from cop.meetings.models import Meeting  # noqa: E402
from cop.meetings.services import run_command  # noqa: E402
from cop.negotiation.texts.models import Draft, Paragraph  # noqa: E402
from cop.negotiation.votes.models import Vote  # noqa: E402
from cop.conferences import phases  # noqa: E402
from cop.negotiation.decisions import consensus  # noqa: E402
from cop.roadmap import adoption, services as roadmap  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
LYON_SIREN = "200046977"


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(app) -> dict:
    """The demo COP, a roadmap draft, the plenary open on its first item with a text; ids for the pages."""
    with app.app_context():
        db.create_all()
        build_demo()
        conference = db.session.scalar(db.select(Conference).filter_by(edition_year=2027))
        conference.decision_mode = "vote"
        user = {spec: db.session.scalar(db.select(User).filter_by(email=spec.email))
                for spec in (PRESIDENCY, SECRETARIAT, HEAD_LYON, HEAD_GRENOBLE, HEAD_CLERMONT)}
        plenary = db.session.scalar(db.select(Meeting).filter_by(conference_id=conference.id, kind="plenary"))
        chair = user[PRESIDENCY]
        run_command(plenary.id, chair, "meeting.open", {})
        drafted = set(db.session.scalars(db.select(Draft.agenda_item_id)))
        item = next((i for i in plenary.items if i.id in drafted), plenary.items[0])
        run_command(plenary.id, chair, "item.open", {"item_id": item.id})
        run_command(plenary.id, user[HEAD_LYON], "floor.request", {})
        run_command(plenary.id, chair, "floor.next", {})
        db.session.commit()
        return {"conference": conference.id, "meeting": plenary.id, "item": item.id, "chair": chair.id,
                "secretariat": user[SECRETARIAT].id,
                "voters": [user[HEAD_LYON].id, user[HEAD_GRENOBLE].id, user[HEAD_CLERMONT].id]}


def open_vote(app, ids: dict) -> None:
    """The chair opens a vote on the item (every accredited party present) and two delegations vote."""
    with app.app_context():
        chair = db.session.get(User, ids["chair"])
        for paragraph in db.session.scalars(db.select(Paragraph).join(Draft).filter(
                Draft.agenda_item_id == ids["item"], Paragraph.text.contains("["))):
            run_command(ids["meeting"], chair, "text.resolve",
                        {"paragraph_id": paragraph.id, "version": paragraph.version, "group": 0, "option": 0})
        parties = db.session.scalars(db.select(Party.id).filter_by(conference_id=ids["conference"],
                                                                  accreditation="accredited")).all()
        # The chair calls the roll first: a vote counts the delegations found present (cop/meetings/quorum.py).
        run_command(ids["meeting"], chair, "rollcall.record", {"item_id": ids["item"], "present": list(parties)})
        run_command(ids["meeting"], chair, "vote.open", {"item_id": ids["item"], "question": None})
        vote = db.session.scalar(db.select(Vote).filter_by(meeting_id=ids["meeting"]))
        for user_id, choice in zip(ids["voters"], ("yes", "yes", "no")):
            run_command(ids["meeting"], db.session.get(User, user_id), "vote.cast",
                        {"vote_id": vote.id, "choice": choice, "receipt": os.urandom(16).hex()})
        db.session.commit()
        ids["vote"] = vote.id


def close_vote(app, ids: dict) -> None:
    """The chair closes the vote: the decision is adopted and numbered."""
    with app.app_context():
        run_command(ids["meeting"], db.session.get(User, ids["chair"]), "vote.close", {"vote_id": ids["vote"]})
        db.session.commit()


def adopt_roadmap(app, ids: dict) -> None:
    """The COP moves to adoption; the secretariat consolidates the roadmap; the plenary adopts it by consensus."""
    with app.app_context():
        chair, secretariat = db.session.get(User, ids["chair"]), db.session.get(User, ids["secretariat"])
        conference, plenary = db.session.get(Conference, ids["conference"]), db.session.get(Meeting, ids["meeting"])
        phases.move_phase(chair, conference, "adoption", "", confirmed=True)
        version = roadmap.generate_draft(secretariat, conference)
        item = adoption.submit(secretariat, version, plenary)
        now = utcnow()
        window = consensus.propose(chair, plenary, item, None, now)
        consensus.settle(plenary, window, now + timedelta(seconds=conference.objection_window_seconds + 1), chair)
        db.session.commit()


def start_servers(app, db_url: str):
    """The web app in a thread and the live server in a process, on free ports."""
    web_port, live_port = free_port(), free_port()
    base = f"http://127.0.0.1:{web_port}"
    app.config.update(COP_LIVE_URL=f"ws://127.0.0.1:{live_port}/live", COP_ALLOWED_ORIGINS=base)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    web = make_server("127.0.0.1", web_port, app, threaded=True)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    env = dict(os.environ, COP_DATABASE_URL=db_url, SECRET_KEY=app.config["SECRET_KEY"], COP_LIVE_HOST="127.0.0.1",
               COP_LIVE_PORT=str(live_port), COP_ALLOWED_ORIGINS=base, COP_LIVE_POLL_SECONDS="0.5")
    live = subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(2)
    return base, web, live


def shoot(browser, base: str, out: Path, name: str, url: str, lang: str, width: str, size=None) -> None:
    """One full-page screenshot; print its size and whether the page scrolls sideways."""
    w, h = size or WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="fr-FR" if lang == "fr" else "en-GB")
    page = context.new_page()
    page.goto(f"{base}/langue/{lang}?next=/")
    page.goto(base + url)
    page.wait_for_load_state("networkidle")
    if page.locator("#live-status").count():
        page.locator("#live-status[data-state=online]").wait_for(timeout=15000)
        page.wait_for_timeout(800)
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    path = out / f"{name}-{lang}-{w}.png"
    page.screenshot(path=str(path), full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\t{w}×{height}\t"
          f"{'SCROLLS SIDEWAYS by %d px' % sideways if sideways > 0 else 'fits'}")
    context.close()


def main() -> None:
    """Build, serve, shoot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="cop-shots-")
    db_url = f"sqlite:///{scratch}/cop.sqlite"
    app = create_app(type("ShotsConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": db_url, "WTF_CSRF_ENABLED": True}))
    ids = build(app)
    base, web, live = start_servers(app, db_url)
    c, m = ids["conference"], ids["meeting"]
    pages = {"home": "/", "cop": f"/portail/cop/{c}", "synthesis": f"/cop/{c}/synthese",
             "territory": f"/portail/territoires/epci/{LYON_SIREN}", "room": f"/meetings/{m}"}
    only = set(filter(None, options.only.split(",")))
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            for name, url in pages.items():
                if not only or name in only:
                    for lang in ("fr", "en"):
                        for width in WIDTHS:
                            shoot(browser, base, out, name, url, lang, width)
            for moment, step in (("projector-vote", open_vote), ("projector-decision", close_vote)):
                step(app, ids)
                if not only or "projector" in only:
                    for lang in ("fr", "en"):
                        for width in WIDTHS:
                            shoot(browser, base, out, moment, f"/meetings/{m}/projector", lang, width)
                        shoot(browser, base, out, moment, f"/meetings/{m}/projector", lang, "hall", (1920, 1080))
            if not only or "roadmap" in only:
                adopt_roadmap(app, ids)
                for lang in ("fr", "en"):
                    for width in WIDTHS:
                        shoot(browser, base, out, "roadmap", f"/cop/{c}/feuille-de-route", lang, width)
            browser.close()
    finally:
        live.terminate()
        live.wait(10)
        web.shutdown()


if __name__ == "__main__":
    main()
