"""In Chromium at 1920×1080: the projector has no site chrome, large type, and shows as they happen the vote under
way, its result with the decision's number, and the objection countdown — in the reader's language."""
import os

from playwright.sync_api import expect

from cop.db import db
from tests.browser.conftest import browser, servers  # noqa: F401  (fixtures)
from tests.negotiation.conftest import build, do

HALL = {"width": 1920, "height": 1080}


def _px(page, selector: str) -> float:
    return page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def test_projector_shows_the_vote_and_the_decision_from_the_back_of_the_room(servers, browser, make):
    neg = build(make, decision_mode="vote")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    db.session.commit()
    french = browser.new_context(locale="fr-FR", viewport=HALL).new_page()
    english = browser.new_context(locale="en-GB", viewport=HALL).new_page()
    french.goto(f"{servers.base}/meetings/{neg.meeting.id}/projector")
    english.goto(f"{servers.base}/langue/en?next=/meetings/{neg.meeting.id}/projector")
    for page in (french, english):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "online")
        assert page.locator(".site-header, .main-nav, .site-footer").count() == 0
        expect(page.locator("#live-stage")).to_contain_text("Déclaration de Lyon")

    vote = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id,
              present=[neg.lyon.id, neg.grenoble.id, neg.annecy.id])["vote"]
    do(neg.u.lyon, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes", receipt=os.urandom(16).hex())
    db.session.commit()  # the web door: the live server notices the new seq and the screens redraw
    expect(french.locator("#stage-vote")).to_contain_text("1 délégation sur 3 a voté")
    expect(english.locator("#stage-vote")).to_contain_text("1 delegation out of 3 has voted")

    do(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes", receipt=os.urandom(16).hex())
    do(neg.u.annecy, neg.meeting, "vote.cast", vote_id=vote["id"], choice="no", receipt=os.urandom(16).hex())
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    db.session.commit()
    expect(french.locator("#stage-result")).to_contain_text("Décision 1 adoptée")
    expect(french.locator("#stage-result")).to_contain_text("66,7\u00a0%")
    expect(english.locator("#stage-result")).to_contain_text("Decision 1 adopted")
    expect(english.locator("#stage-result")).to_contain_text("66.7%")
    expect(english.locator("#stage-result")).to_contain_text("Decision 1/COP-AURA-2027")
    # Read from the back of the room: body ≥ 28 px, the decision ≥ 56 px, nothing wider than the screen.
    assert _px(french, "body") >= 28 and _px(french, ".stage-decision") >= 56 and _px(french, ".stage-item") >= 40
    assert french.evaluate("document.documentElement.scrollWidth") <= HALL["width"]
