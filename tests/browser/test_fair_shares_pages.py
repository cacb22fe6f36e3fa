"""The fair shares in Chromium: the presidency imports figures through the page; the page, the synthesis and a
territory's page pass axe and fit 1366 px and 390 px screens, in French and in English."""
import threading

import pytest
from werkzeug.serving import make_server

from cop.db import db
from cop.fairshare.models import FairShareBasis
from tests.browser.test_accessibility import violations
from tests.commitment_helpers import build_world, draft_input, file
from tests.factories import PASSWORD
from tests.live.conftest import free_port


@pytest.fixture
def site(app, make):
    """A COP with two intercommunalities, a target and a filed commitment, served on a free port."""
    world = build_world(make)
    make.target(world.conference, world.sectors["automobile"], world.indicators["jobs-created"], 1000)
    file(world, world.a, "automobile", draft_input("650", "50"))
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", world
    server.shutdown()
    thread.join(10)


def test_presidency_imports_figures_and_the_pages_read_well(site, browser, tmp_path):
    base, world = site
    figures = tmp_path / "chiffres.csv"
    figures.write_text(f"siren;emplois_industriels\n{world.a.territory.code};700\n{world.b.territory.code};300\n",
                       encoding="utf-8")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", world.presidency.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{base}/cop/{world.conference.id}/parts-indicatives")
    assert violations(page) == []
    page.check("input[value=figures]")
    page.set_input_files("input[name=file]", str(figures))
    page.fill("input[name=weights]", "emplois_industriels=1")
    page.get_by_role("button", name="Mettre en vigueur une nouvelle version").click()
    assert "version 1" in page.inner_text("body")
    assert "700" in page.inner_text("table")
    context.close()
    basis = db.session.scalar(db.select(FairShareBasis))
    assert basis.by_figures and basis.criteria[0].name == "emplois_industriels"

    cop = world.conference.id
    urls = [f"/cop/{cop}/parts-indicatives", f"/cop/{cop}/synthese",
            f"/portail/territoires/epci/{world.a.territory.code}"]
    found = {}
    for locale in ("fr-FR", "en-GB"):
        for width in (1366, 390):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 844}, bypass_csp=True)
            page = context.new_page()
            for url in urls:
                page.goto(base + url)
                scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                problems = violations(page)
                if scroll > inner or problems:
                    found[(locale, width, url)] = (scroll, inner, problems)
            if locale == "en-GB":
                page.goto(f"{base}/cop/{cop}/parts-indicatives")
                assert "Indicative shares of the territories" in page.inner_text("h1")
            context.close()
    assert found == {}
