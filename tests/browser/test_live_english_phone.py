"""In Chromium, at 390 px and in English: the delegate's room, the chair's console and the projector stay in the
reader's language once the socket connects (status, announcements, presence, refusals), and none scrolls sideways."""
from playwright.sync_api import expect

from tests.browser.test_live_meeting import _meeting
from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}


def _login_english(page, base: str, email: str) -> None:
    page.goto(f"{base}/langue/en?next=/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_room_console_and_projector_in_english_on_a_phone(servers, browser, make):
    meeting, chair, delegate = _meeting(make)
    chair_page = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    delegate_page = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    screen = browser.new_context(locale="en-GB", viewport=PHONE).new_page()
    _login_english(chair_page, servers.base, chair.email)
    _login_english(delegate_page, servers.base, delegate.email)
    screen.goto(f"{servers.base}/langue/en?next=/meetings/{meeting.id}/projector")
    chair_page.goto(f"{servers.base}/meetings/{meeting.id}/chair")
    delegate_page.goto(f"{servers.base}/meetings/{meeting.id}")
    for page in (chair_page, delegate_page, screen):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "online")
        expect(page.locator("#live-status-text")).to_have_text("Live")
    expect(delegate_page.locator("#live-presence")).to_contain_text("present out of 1 accredited")

    chair_page.get_by_role("button", name="Open the meeting").click()
    expect(delegate_page.locator("#live-state")).to_have_text("Open")
    expect(delegate_page.locator("#live-log")).to_contain_text("The meeting is open.")
    delegate_page.get_by_role("button", name="Request the floor").click()
    expect(chair_page.locator("#live-speakers")).to_contain_text("Métropole de Lyon (Nadia Benali)")
    chair_page.get_by_role("button", name="Give the floor").click()
    for page in (chair_page, delegate_page, screen):
        expect(page.locator("#live-floor")).to_contain_text("Has the floor: Métropole de Lyon")
        expect(page.locator("#live-timer")).to_contain_text("Time left")
    expect(delegate_page.locator("#live-log")).to_contain_text("Métropole de Lyon (Nadia Benali) has the floor.")
    assert "Personne" not in delegate_page.locator("#live").inner_text()
    # A refusal from the live server comes in the reader's language too.
    delegate_page.evaluate("window.copLiveClient.command('meeting.close', {})")
    expect(delegate_page.locator("#live-log")).to_contain_text("Refused: ")
    assert "Seule" not in delegate_page.locator("#live-log").inner_text()
    for page in (chair_page, delegate_page, screen):
        _fits(page)
