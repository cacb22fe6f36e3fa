"""Every public page type, opened in Debian's Chromium, passes axe-core with no serious or critical violation."""
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cop.db import db
from tests import portal_data
from tests.live.conftest import free_port
from tests.factories import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def site(app):
    """The web app alone (werkzeug in a thread, free port), with the published dataset."""
    data = portal_data.build()
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", data
    server.shutdown()
    thread.join(10)


def page_types(data) -> dict[str, str]:
    """One URL per public page type."""
    cop, sector = data.conference.id, data.sectors[0].code
    return {
        "home": "/", "find_territory": "/mon-territoire", "territory_choices": "/mon-territoire?q=saint",
        "territory": f"/portail/territoires/epci/{data.other_epci.code}", "conference": f"/portail/cop/{cop}",
        "sector": f"/portail/cop/{cop}/filieres/{sector}", "search": "/recherche?q=friche",
        "opendata": "/opendata/", "not_found": "/portail/cop/99999",
        "legal_notice": "/mentions-legales", "privacy": "/confidentialite", "accessibility": "/accessibilite",
    }


def violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["name"] == "axe-core" and result["passes"]
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [node["target"] for node in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in SERIOUS]


def test_public_pages_pass_axe(site, browser):
    base, data = site
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, url in page_types(data).items():
        page.goto(base + url)
        assert page.title(), name
        problems = violations(page)
        if problems:
            found[name] = problems
    context.close()
    assert not found, found


def test_keyboard_reaches_the_map_and_shows_focus(site, browser):
    base, data = site
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("ARA, Auvergne-Rhône-Alpes"):
            break
    else:
        pytest.fail("the map's links are not reachable with the keyboard")
    # The focused region gets a thick outline of the focus colour (not the colour alone: the stroke widens).
    width = page.evaluate("getComputedStyle(document.activeElement.querySelector('path, rect')).strokeWidth")
    assert width == "4px"


def test_search_works_without_javascript(site, browser):
    base, data = site
    page = browser.new_context(locale="fr-FR", java_script_enabled=False).new_page()
    page.goto(base + "/")
    page.get_by_label("Mon territoire : nom de ma commune ou code postal").fill("38000")
    page.get_by_role("button", name="Trouver mon intercommunalité").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/portail/territoires/epci/{data.other_epci.code}")
    assert page.get_by_role("heading", level=1).inner_text() == "Grenoble-Alpes-Métropole"


@pytest.fixture
def roadmap_site(app, make):
    """The web app with a COP whose roadmap was adopted and signed by one party, and a progress report filed."""
    from cop.conferences import phases
    from cop.followup import services as followup
    from cop.roadmap import signatures
    from tests.roadmap.test_adoption import adopted

    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    phases.move_phase(s.presidency, s.conference, "implementation", "", confirmed=True)
    pledge = next(p for c in version.content["chapters"] for p in c["pledges"] if p["party"] == s.parties[0].id)
    followup.report(s.heads[0], s.parties[0], pledge["id"], 2027, "45,5", "https://exemple.fr/rapport.pdf", "Bilan")
    db.session.commit()
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", s
    server.shutdown()
    thread.join(10)


def test_roadmap_and_stocktake_pages_pass_axe(roadmap_site, browser):
    base, s = roadmap_site
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    found = {}
    for name, url in {"roadmap": f"/cop/{s.conference.id}/feuille-de-route",
                      "stocktake": f"/cop/{s.conference.id}/bilan",
                      "stocktake_party": f"/cop/{s.conference.id}/bilan/parties/{s.parties[0].id}"}.items():
        response = page.goto(base + url)
        assert response.status == 200 and page.title(), name
        problems = violations(page)
        if problems:
            found[name] = problems
    context.close()
    assert not found, found


@pytest.fixture
def mail_site(app, make):
    """The web app with one account, for the mail preferences and the unsubscribe page."""
    from cop.notify import preferences

    user = make.user(email="lecteur@example.fr", name="Lou Lecteur")
    db.session.commit()
    token = preferences.token(user)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", user, token
    server.shutdown()
    thread.join(10)


@pytest.mark.parametrize("width,language", [(1366, "fr-FR"), (390, "en-GB")])
def test_unsubscribe_and_account_mail_preferences_pass_axe(mail_site, browser, width, language):
    from tests.factories import PASSWORD

    base, user, token = mail_site
    context = browser.new_context(locale=language, bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    found = {}
    assert page.goto(f"{base}/desabonnement/{token}").status == 200
    found["unsubscribe"] = violations(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    found["unsubscribed"] = violations(page)
    page.goto(f"{base}/auth/login")
    page.locator("input[name=email]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.goto(f"{base}/auth/compte").status == 200
    found["account"] = violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
    assert not any(found.values()), found
