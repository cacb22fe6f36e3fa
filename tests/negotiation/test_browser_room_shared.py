"""In Chromium, at 1366 px and 390 px, in French and in English: the room page an anonymous reader gets while the
meeting sits (shared, filled with the clock for each page) goes live, ticks the speaker's timer, follows the next
event, shows it again after a reload, and scrolls sideways at no width; a delegate's page keeps their own controls."""
import os

import pytest
from playwright.sync_api import expect

from cop.db import db
from cop.meetings.services import run_command
from tests.browser.conftest import browser, servers  # noqa: F401  (fixtures)
from tests.factories import PASSWORD

SHOTS = os.environ.get("COP_SCREENSHOTS")  # a folder: keep a screenshot of each page looked at
WORDS = {"fr": {"speakers": "Liste des orateurs", "floor": "À la parole : Métropole de Lyon", "online": "En direct",
                "left": "Temps restant"},
         "en": {"speakers": "List of speakers", "floor": "Has the floor: Métropole de Lyon", "online": "Live",
                "left": "Time left"}}


def _do(neg, user, name, **args):
    run_command(neg.meeting.id, user, name, args)
    db.session.commit()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_shared_room_page_lives_in_the_readers_language_at_every_width(servers, browser, neg, lang, width):
    _do(neg, neg.u.lyon, "floor.request")
    _do(neg, neg.u.chair, "floor.next")
    words = WORDS[lang]
    context = browser.new_context(locale="fr-FR" if lang == "fr" else "en-GB", viewport={"width": width,
                                                                                          "height": 900})
    page = context.new_page()
    url = f"{servers.base}/meetings/{neg.meeting.id}"
    page.goto(url)
    expect(page.locator("#speakers-title")).to_have_text(words["speakers"])
    expect(page.locator("#live-floor")).to_contain_text(words["floor"])
    expect(page.locator("#live-status-text")).to_have_text(words["online"])
    expect(page.locator("#live-timer")).to_contain_text(words["left"])  # the page's script ticks it
    other = WORDS["en" if lang == "fr" else "fr"]
    assert other["speakers"] not in page.content()

    # The next event reaches the page live, and a reload shows it (the shared page of the new seq).
    _do(neg, neg.u.annecy, "floor.request")
    expect(page.locator("#live-speakers")).to_contain_text("CA du Grand Annecy")
    page.reload()
    expect(page.locator("#live-speakers")).to_contain_text("CA du Grand Annecy")
    expect(page.locator("#live-status-text")).to_have_text(words["online"])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("[data-command='floor.request']:visible").count() == 0  # no one's controls shown
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"room-anonymous-{lang}-{width}.png"), full_page=True)
    context.close()


def test_a_delegate_beside_an_anonymous_reader_keeps_their_controls(servers, browser, neg):
    anonymous = browser.new_context(locale="fr-FR").new_page()
    anonymous.goto(f"{servers.base}/meetings/{neg.meeting.id}")
    expect(anonymous.locator("#live-status")).to_have_attribute("data-state", "online")
    delegate = browser.new_context(locale="fr-FR").new_page()
    delegate.goto(f"{servers.base}/auth/login")
    delegate.get_by_label("Adresse électronique").fill(neg.u.lyon.email)
    delegate.get_by_label("Mot de passe").fill(PASSWORD)
    delegate.get_by_role("button", name="Se connecter").click()
    delegate.wait_for_load_state()
    delegate.goto(f"{servers.base}/meetings/{neg.meeting.id}")
    delegate.get_by_role("button", name="Demander la parole").click()
    for page in (anonymous, delegate):
        expect(page.locator("#live-speakers")).to_contain_text("Métropole de Lyon (Léa Lyon)")
    expect(delegate.get_by_role("button", name="Retirer ma demande")).to_be_visible()
    anonymous.reload()
    expect(anonymous.locator("#live-speakers")).to_contain_text("Métropole de Lyon (Léa Lyon)")
    assert anonymous.get_by_role("button", name="Retirer ma demande").count() == 0
