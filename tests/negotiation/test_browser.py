"""In Chromium: a delegate tables an amendment, the chair integrates it and gavels the item, both pages show each
step live, and the minutes list it."""
from playwright.sync_api import expect

from cop.db import db
from cop.meetings.services import run_command
from tests.browser.conftest import browser, servers  # noqa: F401  (fixtures)
from tests.factories import PASSWORD

NEW = "Les parties s’engagent à réhabiliter 200 hectares de friches d’ici 2030."


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def test_amendment_integration_and_gavel_in_two_browsers(servers, browser, neg):
    neg.conf.objection_window_seconds = 3
    run_command(neg.meeting.id, neg.u.chair, "text.resolve",
                {"paragraph_id": neg.p[0], "version": 1, "group": 0, "option": 1})
    db.session.commit()
    chair = browser.new_context(locale="fr-FR").new_page()
    delegate = browser.new_context(locale="fr-FR").new_page()
    _login(chair, servers.base, neg.u.chair.email)
    _login(delegate, servers.base, neg.u.lyon.email)
    chair.goto(f"{servers.base}/meetings/{neg.meeting.id}/chair")
    delegate.goto(f"{servers.base}/meetings/{neg.meeting.id}/items/{neg.item.id}/text")
    expect(chair.locator("#live-status")).to_have_attribute("data-state", "online")
    expect(delegate.locator("#negotiation-status")).to_have_attribute("data-state", "online")

    delegate.get_by_text("Amender le § 2").click()
    delegate.get_by_label("Texte proposé pour le § 2").fill(NEW)
    delegate.get_by_label("Exposé des motifs de l’amendement au § 2").fill("Relever l’ambition.")
    delegate.get_by_role("button", name="Déposer l’amendement").click()
    for page, log in ((chair, "#live-log"), (delegate, "#negotiation-log")):
        expect(page.locator(log)).to_contain_text("Amendement 1 (Métropole de Lyon) au § 2 : déposé (remplacement).")
    expect(chair.locator("#negotiation-panel")).to_contain_text("Amendement 1 au § 2")
    expect(delegate.locator("#p%d" % neg.p[1])).to_contain_text("Déposé")

    chair.locator("#negotiation-panel").get_by_role("button", name="Intégrer au texte").click()
    expect(delegate.locator("#p%d .paragraph-text" % neg.p[1])).to_have_text(NEW)
    expect(delegate.locator("#negotiation-log")).to_contain_text("intégré (version")
    expect(chair.locator("#live-log")).to_contain_text("Amendement 1 (Métropole de Lyon) au § 2 : intégré (version")

    chair.get_by_role("button", name="Proposer l’adoption du point par consensus").click()
    expect(delegate.locator("#countdown")).to_contain_text("Objections recevables")
    expect(delegate.get_by_role("button", name="Faire objection")).to_be_visible()
    for page, log in ((chair, "#live-log"), (delegate, "#negotiation-log")):
        expect(page.locator(log)).to_contain_text("Le marteau tombe : Décision 1/COP-AURA-2027 adoptée par consensus.",
                                                  timeout=15000)
    expect(delegate.locator("#p%d" % neg.p[1])).to_contain_text("Adopté")
    expect(chair.locator("#negotiation-panel")).to_contain_text("Décision 1/COP-AURA-2027")

    delegate.goto(f"{servers.base}/meetings/{neg.meeting.id}/minutes")
    expect(delegate.locator("main")).to_contain_text("Décision 1/COP-AURA-2027")
    expect(delegate.get_by_role("table", name="Amendements déposés, leurs auteurs et leur sort")).to_contain_text(
        "Intégré (version 3)")


def test_a_redraw_while_typing_keeps_the_caret_where_it_was(servers, browser, neg):
    """Another party's event redraws the text page while a delegate edits an amendment: what is typed next goes where
    the caret was (it used to jump to the end of a changed text, or to the start of an unchanged one)."""
    delegate = browser.new_context(locale="fr-FR").new_page()
    _login(delegate, servers.base, neg.u.lyon.email)
    delegate.goto(f"{servers.base}/meetings/{neg.meeting.id}/items/{neg.item.id}/text")
    expect(delegate.locator("#negotiation-status")).to_have_attribute("data-state", "online")
    # The snapshot that follows the connection redraws the page: click once that redraw is in (under load the click
    # could land while the page moved, and open another paragraph's form).
    delegate.wait_for_load_state("networkidle")
    delegate.get_by_text("Amender le § 2").click()
    field = delegate.get_by_label("Texte proposé pour le § 2")
    expect(field).to_be_visible()
    field.fill("Les parties réhabilitent hectares.")
    field.press("End")
    for _ in "hectares.":
        field.press("ArrowLeft")  # the caret in the middle, where the figure goes
    delegate.evaluate("window.__before = document.getElementById('negotiation-body').firstElementChild")

    # Grenoble tables an amendment to § 3: an event that redraws the delegate's text page.
    run_command(neg.meeting.id, neg.u.grenoble, "amendment.table",
                {"paragraph_id": neg.p[2], "version": 1, "kind": "replace", "text": "Un bilan chaque semestre.",
                 "explanation": "Plus souvent."})
    db.session.commit()
    expect(delegate.locator("#negotiation-log")).to_contain_text("Amendement 1 (Grenoble-Alpes-Métropole) au § 3")
    # A function, not an expression: Playwright polls an expression with eval(), which the page's CSP refuses (the
    # test failed whenever the redraw had not happened at the first check).
    delegate.wait_for_function("() => document.getElementById('negotiation-body').firstElementChild"
                               " !== window.__before")

    field.press_sequentially("240 ")
    expect(field).to_have_value("Les parties réhabilitent 240 hectares.")
    expect(field).to_be_focused()
