"""A new head of delegation accepts an invitation and files a complete commitment, in a real browser.

One filière, three pledges (one with a conditional part), one support request conditioning it, one site given by
commune name. The run counts page loads, inputs (fields filled, options chosen, boxes ticked) and clicks, and
times it. Run: python bench/filing_run.py — it builds the AURA demo COP on a throw-away SQLite file (about a
minute), reopens its call for commitments, invites a head of delegation for a party that has none, serves the
app on a free port and drives Debian's Chromium (/usr/bin/chromium) through Playwright.
tests/browser/test_filing_run.py runs the same `file_commitment()` against the test database.
"""
import logging
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "un-mot-de-passe-solide-2027"
TEXTS = {
    "scope": "Tout le territoire de l’intercommunalité, sites existants et zones d’activité.",
    "actions": "Reconversion de la friche, accompagnement de trois PME, formation en alternance.",
    "assumptions_method": "Données URSSAF 2025, projets déclarés par les entreprises, méthode du secrétariat.",
    "local_preparation": "Deux ateliers avec les industriels, les syndicats et le conseil de développement.",
    "fairness_ambition": "Un effort proportionné à la population et au tissu industriel du territoire.",
    "regional_contribution": "Environ 4 % de l’objectif régional de la filière, avec deux sites clés en main.",
}


@dataclass
class Counts:
    """What the run took: page loads, inputs, clicks, seconds; and the filed commitment's page."""

    loads: int = 0
    inputs: int = 0
    clicks: int = 0
    seconds: float = 0.0
    characters: int = 0
    final_url: str = ""
    errors: list = field(default_factory=list)
    steps: list = field(default_factory=list)


class Driver:
    """A Playwright page whose every input and click is counted."""

    def __init__(self, page, counts: Counts):
        self.page, self.counts = page, counts
        page.on("load", lambda _page: self._loaded())

    def _loaded(self):
        self.counts.loads += 1
        self.counts.steps.append(self.page.url)

    def fill(self, selector: str, value: str):
        self.page.fill(selector, value)
        self.counts.inputs += 1
        self.counts.characters += len(value)

    def select(self, selector: str, value: str | None = None, index: int = 1):
        options = self.page.locator(f"{selector} option").evaluate_all("os => os.map(o => o.value)")
        self.page.select_option(selector, value or options[index])
        self.counts.inputs += 1

    def check(self, selector: str):
        self.page.check(selector)
        self.counts.inputs += 1

    def click(self, selector: str, navigates: bool = False):
        if navigates:
            with self.page.expect_navigation():
                self.page.click(selector)
        else:
            self.page.click(selector)
        self.counts.clicks += 1


def file_commitment(browser, invite_url: str, name: str, commune: str) -> Counts:
    """Accept the invitation, declare a filière and start its commitment, fill it, save and submit it."""
    counts = Counts()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = context.new_page()
    drive = Driver(page, counts)
    start = time.perf_counter()
    page.goto(invite_url)
    drive.fill("#name", name)
    drive.fill("#password", PASSWORD)
    drive.fill("#confirm", PASSWORD)
    drive.click("main form button[type=submit]", navigates=True)
    drive.select("#sector")
    drive.fill("#reason", "Un tissu de PME et une friche à reconvertir.")
    drive.click("button[name=then][value=start]", navigates=True)
    for name_, text in TEXTS.items():
        drive.fill(f"#{name_}", text)
    _pledges(drive)
    drive.click("button[data-add=supports]")
    drive.select("#supports-0-funder", "region")
    drive.fill("#supports-0-amount", "450 000")
    drive.fill("#supports-0-purpose", "Dépollution et viabilisation de la friche")
    drive.check("#supports-0-indicators-0")
    drive.click("button[data-add=sites]")
    drive.fill("#sites-0-name", "Friche des Forges")
    drive.fill("#sites-0-commune_code", commune)
    drive.fill("#sites-0-hectares", "6,5")
    drive.click("button[name=action][value=submit]:not(.visually-hidden)", navigates=True)
    counts.seconds = time.perf_counter() - start
    counts.final_url = page.url
    counts.errors = page.locator(".error-summary li, .flash-error").all_inner_texts()
    context.close()
    return counts


def _pledges(drive: Driver) -> None:
    """Three pledges: the first row is there, two are added; the first has a conditional part."""
    for index in range(3):
        if index:
            drive.click("button[data-add=pledges]")
        drive.select(f"#pledges-{index}-indicator", index=index + 1)
        drive.fill(f"#pledges-{index}-unconditional", str(40 * (index + 1)))
    drive.fill("#pledges-0-conditional", "25")


#: Keystroke-level model (Card, Moran & Newell): a typed character by an average typist (40 words a minute),
#: pointing at a field or a button then acting, and a page to read before acting on it.
SECONDS_PER_CHARACTER, SECONDS_PER_ACTION, SECONDS_PER_PAGE = 0.28, 2.5, 10.0


def person_minutes(counts: Counts) -> float:
    """An estimate of the same run by a person who knows what to type (texts ready, no hesitation)."""
    return (counts.characters * SECONDS_PER_CHARACTER + (counts.inputs + counts.clicks) * SECONDS_PER_ACTION
            + counts.loads * SECONDS_PER_PAGE) / 60


def report(counts: Counts) -> str:
    """The figures, one line each."""
    return (f"chargements de page : {counts.loads}\nsaisies : {counts.inputs} ({counts.characters} caractères)\n"
            f"clics : {counts.clicks}\n"
            f"estimation pour une personne (modèle KLM) : {person_minutes(counts):.1f} min\n"
            f"durée (navigateur piloté) : {counts.seconds:.1f} s\npage finale : {counts.final_url}"
            + "".join(f"\nrefus : {error}" for error in counts.errors))


def _free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_demo(app) -> tuple[str, str]:
    """The demo COP back in its call for commitments, an invitation for a party without head; (link, commune)."""
    from cop.auth.invitations import invite
    from cop.auth.models import User
    from cop.conferences import phases
    from cop.conferences.models import Membership, Party
    from cop.db import db
    from cop.demo import PRESIDENCY, build_demo
    from cop.territories.models import Commune
    from cop.urls import external_url

    with app.test_request_context(base_url=app.config["BENCH_BASE"]):
        build_demo()
        president = db.session.scalar(db.select(User).filter_by(email=PRESIDENCY.email))
        conference = db.session.scalar(db.select(Membership).filter_by(user_id=president.id)).conference
        phases.move_phase(president, conference, "call_for_commitments", reason="Banc d’essai du dépôt.")
        headed = db.select(Membership.party_id).where(Membership.role == "head_of_delegation")
        party = db.session.scalar(db.select(Party).where(Party.conference_id == conference.id,
                                                         Party.territory_id.is_not(None), Party.id.not_in(headed))
                                  .order_by(Party.id))
        commune = db.session.scalar(db.select(Commune).where(Commune.epci_id == party.territory_id)
                                    .order_by(Commune.population.desc()))
        secret = invite(president, conference, "nouvelle.cheffe@example.fr", "head_of_delegation", party)
        db.session.commit()
        print(f"Partie : {party.name} ({len(conference.parties)} parties dans la COP) ; site à {commune.name}")
        return external_url("auth.invitation", secret=secret), commune.name


def main() -> None:
    """Build the demo on a scratch database, serve it, and file through Chromium."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from cop import create_app
    from cop.config import Config
    from cop.db import db

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                                                 "SERVER_NAME": None, "BENCH_BASE": f"http://127.0.0.1:{port}",
                                                 "COP_BASE_URL": f"http://127.0.0.1:{port}"})
        app = create_app(config)
        with app.app_context():
            db.create_all()
        built = time.perf_counter()
        invite_url, commune = _prepare_demo(app)
        print(f"Démo construite en {time.perf_counter() - built:.0f} s")
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            counts = file_commitment(browser, invite_url, "Lucie Garnier", commune)
            browser.close()
        server.shutdown()
    print(report(counts))


if __name__ == "__main__":
    main()
