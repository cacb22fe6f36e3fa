"""The seal pages in Chromium, for commitments and sites: a revealed commitment's seal is recomputed by the page's
own script under the CSP; the seals list, a sealed and a revealed seal page, a sealed commitment, a sealed site, the
sites list, the sealing form and the site form pass axe and fit 1366 px and 390 px, in French and in English."""
import os
import threading

import pytest
from werkzeug.serving import make_server

from cop.db import db
from cop.seals import operations as seals
from tests import seal_helpers
from tests.browser.test_accessibility import violations
from tests.commitment_helpers import build_world
from tests.factories import PASSWORD
from tests.live.conftest import free_port

SHOTS = os.environ.get("COP_SHOTS_DIR")


@pytest.fixture
def served(app, make):
    """Party A's commitment sealed and revealed, another still sealed, a sealed site; served on a free port."""
    world = build_world(make)
    revealed = seal_helpers.sealed_commitment(world.head_a, world.a, world.sectors["automobile"], world.presidency,
                                              "Texte révélé", commune="69123")
    seals.reveal(world.head_a, revealed)
    other = next(code for code in world.sectors if code != "automobile")
    hidden = seal_helpers.sealed_commitment(world.head_a, world.a, world.sectors[other], world.presidency,
                                            "Texte caché", commune="69123")
    site = seal_helpers.sealed_site(world.presidency, world.conference, world.commune_a, "caché")
    services_start = world.sectors[next(code for code in world.sectors if code not in ("automobile", other))]
    from cop.commitments import services
    services.declare_priority(world.head_a, world.a, services_start, "Un tissu industriel.")
    draft = services.start_commitment(world.head_a, world.a, services_start)
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", world, revealed, hidden, site, draft
    server.shutdown()
    thread.join(10)


def test_the_browser_recomputes_a_commitments_seal_under_the_csp(served, browser):
    base, world, revealed, *_ = served
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/cop/{world.conference.id}/sceaux/engagement/{revealed.id}")
    page.wait_for_selector("#seal-check.flash-success")
    assert "correspond au sceau publié" in page.inner_text("#seal-check")
    revealed.versions[0].scope = "Texte modifié après coup"
    db.session.commit()
    page.goto(f"{base}/cop/{world.conference.id}/sceaux/engagement/{revealed.id}")
    page.wait_for_selector("#seal-check.flash-error")
    context.close()


def test_seal_pages_read_well_at_both_widths_and_languages(served, browser):
    base, world, revealed, hidden, site, draft = served
    cop = world.conference.id
    urls = {"party": [f"/cop/{cop}/sceaux", f"/cop/{cop}/sceaux/engagement/{hidden.id}",
                      f"/cop/{cop}/sceaux/engagement/{revealed.id}", f"/cop/{cop}/engagements/{hidden.id}",
                      f"/cop/{cop}/engagements/{draft.id}", f"/cop/{cop}/engagements/{draft.id}/sceller",
                      f"/cop/{cop}/sites/{site.id}", f"/cop/{cop}/sites"],
            "presidency": [f"/cop/{cop}/sceaux/site/{site.id}", f"/cop/{cop}/sites/nouveau"]}
    accounts = {"party": world.head_a.email, "presidency": world.presidency.email}
    found = {}
    for locale in ("fr-FR", "en-GB"):
        for width in (1366, 390):
            for who, email in accounts.items():
                context = browser.new_context(locale=locale, viewport={"width": width, "height": 844},
                                              bypass_csp=True)
                page = context.new_page()
                page.goto(f"{base}/auth/login")
                page.fill("input[name=email]", email)
                page.fill("input[name=password]", PASSWORD)
                page.locator("form button[type=submit]").last.click()
                for url in urls[who]:
                    page.goto(base + url)
                    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
                    problems = violations(page)
                    if scroll > inner or problems:
                        found[(locale, width, url)] = (scroll, inner, problems)
                    if SHOTS:
                        name = url.strip("/").replace("/", "_")
                        page.screenshot(path=f"{SHOTS}/{locale}-{width}-{name}.png", full_page=True)
                if locale == "en-GB" and who == "party":
                    page.goto(f"{base}/cop/{cop}/sceaux")
                    assert "Sealed contents" in page.inner_text("h1")
                context.close()
    assert found == {}
