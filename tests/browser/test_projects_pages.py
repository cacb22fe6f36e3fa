"""The project registry in Chromium: the seal is recomputed by the page's own script under the CSP (and a tampered
content is shown as not matching); the registry, a sealed and a revealed project, the registering form and the
version naming a project pass axe and fit 1366 px and 390 px, in French and in English."""
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from werkzeug.serving import make_server

from cop.commitments.inputs import DraftInput, PledgeInput
from cop.db import db
from cop.projects import operations
from tests.browser.test_accessibility import violations
from tests.commitment_helpers import TEXTS, build_world, file
from tests.factories import PASSWORD
from tests.live.conftest import free_port


@pytest.fixture
def site(app, make):
    """A sealed project, a revealed one named by an accepted pledge line, served on a free port."""
    world = build_world(make)
    args = dict(sector_code="automobile", siret="73282932000074", commune="69123", description="Ligne pilote",
                sealed=True, reason="Secret des affaires", announce_on=date.today() + timedelta(days=30))
    sealed = operations.register(world.head_a, world.a, name="Usine scellée", **args)
    revealed = operations.register(world.head_a, world.a, name="Usine « révélée » & testée", **args)
    operations.reveal(world.head_a, revealed)
    commitment = file(world, world.a, "automobile", DraftInput(2025, 2030, dict(TEXTS), [PledgeInput(
        "jobs-created", 2025, Decimal(0), 2030, Decimal(300), Decimal(0), revealed.id, Decimal(40))]))
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", world, sealed, revealed, commitment
    server.shutdown()
    thread.join(10)


def test_the_browser_recomputes_the_seal_under_the_csp(site, browser):
    base, world, sealed, revealed, _ = site
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/cop/{world.conference.id}/projets/{revealed.number}")
    page.wait_for_selector("#seal-check.flash-success")
    assert "correspond au sceau publié" in page.inner_text("#seal-check")
    revealed.description = "Ligne pilote agrandie"
    db.session.commit()
    page.goto(f"{base}/cop/{world.conference.id}/projets/{revealed.number}")
    page.wait_for_selector("#seal-check.flash-error")
    assert "NE correspond PAS" in page.inner_text("#seal-check")
    context.close()


def test_registry_pages_read_well_at_both_widths_and_languages(site, browser):
    base, world, sealed, revealed, commitment = site
    cop = world.conference.id
    urls = [f"/cop/{cop}/projets", f"/cop/{cop}/projets/{sealed.number}", f"/cop/{cop}/projets/{revealed.number}",
            f"/cop/{cop}/engagements/{commitment.id}", f"/cop/{cop}/synthese",
            f"/cop/{cop}/parties/{world.a.id}/projets/nouveau"]
    found = {}
    for locale in ("fr-FR", "en-GB"):
        for width in (1366, 390):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 844}, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{base}/auth/login")
            page.fill("input[name=email]", world.head_a.email)
            page.fill("input[name=password]", PASSWORD)
            page.locator("form button[type=submit]").last.click()
            for url in urls:
                page.goto(base + url)
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                problems = violations(page)
                if scroll > inner or problems:
                    found[(locale, width, url)] = (scroll, inner, problems)
            if locale == "en-GB":
                page.goto(f"{base}/cop/{cop}/projets")
                assert "Project registry" in page.inner_text("h1")
            context.close()
    assert found == {}
