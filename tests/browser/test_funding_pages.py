"""Support answers in Chromium: the funder's head answers a request through the page; the support page and the
synthesis pass axe and fit 1366 px and 390 px screens, in French and in English."""
import threading

import pytest
from werkzeug.serving import make_server

from cop.db import db
from cop.funding import operations
from cop.funding.models import SupportAnswer
from tests.browser.test_accessibility import violations
from tests.commitment_helpers import build_world, draft_input, file
from tests.factories import PASSWORD
from tests.live.conftest import free_port


@pytest.fixture
def site(app, make):
    """A COP with Bpifrance designated, one budget and one accepted commitment with a conditional part."""
    world = build_world(make)
    bpi = make.party(world.conference, name="Bpifrance Auvergne-Rhône-Alpes", kind="funder")
    world.head_bpi = make.member(world.conference, "head_of_delegation", bpi, make.user(email="bpi@example.fr"))
    make.target(world.conference, world.sectors["automobile"], world.indicators["jobs-created"], 1000)
    file(world, world.a, "automobile", draft_input("100", "60"))
    funder = operations.register_funder(world.presidency, world.conference, bpi, "bpifrance")
    operations.set_budget(world.head_bpi, funder, "Prêts industrie", 2027, 800000)
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", world
    server.shutdown()
    thread.join(10)


def test_funder_answers_and_the_pages_read_well(site, browser):
    base, world = site
    cop = world.conference.id
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", world.head_bpi.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/cop/{cop}/appuis")
    assert violations(page) == []
    page.get_by_text("Répondre", exact=True).click()
    page.select_option("select[name=status]", "granted")
    page.select_option("select[name=budget_id]", label="Prêts industrie 2027")
    page.get_by_role("button", name="Enregistrer la réponse").click()
    assert "Réponse enregistrée" in page.inner_text("body")
    context.close()
    assert db.session.scalar(db.select(SupportAnswer)).status == "granted"

    found = {}
    for locale in ("fr-FR", "en-GB"):
        for width in (1366, 390):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 844}, bypass_csp=True)
            page = context.new_page()
            for url in (f"/cop/{cop}/appuis", f"/cop/{cop}/synthese"):
                page.goto(base + url)
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                problems = violations(page)
                if scroll > inner or problems:
                    found[(locale, width, url)] = (scroll, inner, problems)
            context.close()
    assert found == {}
