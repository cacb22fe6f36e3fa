"""A chair and a delegate run the speakers' list while a citizen watches; the delegate survives a live restart."""
from datetime import datetime, timezone

from playwright.sync_api import expect

from cop.db import db
from cop.meetings.models import AgendaItem, Meeting
from cop.meetings.services import run_command
from tests.factories import PASSWORD


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def _meeting(make):
    conf = make.conference(phase="negotiation")
    party = make.party(conf, name="Métropole de Lyon")
    chair = make.member(conf, "presidency", user_obj=make.user(name="Claire Vasseur"))
    delegate = make.member(conf, "head_of_delegation", party, user_obj=make.user(name="Nadia Benali"))
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière d’ouverture", chair_id=chair.id,
                      starts_dt=datetime(2027, 3, 22, 8, 30, tzinfo=timezone.utc), is_public=True)
    db.session.add(meeting)
    db.session.flush()
    for position, title in enumerate(("Adoption de l’ordre du jour", "Synthèse du secrétariat"), 1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title))
    db.session.commit()
    return meeting, chair, delegate


def test_chair_and_delegate_run_the_speakers_list(servers, browser, make):
    meeting, chair, delegate = _meeting(make)
    chair_page = browser.new_context(locale="fr-FR").new_page()
    delegate_page = browser.new_context(locale="fr-FR").new_page()
    _login(chair_page, servers.base, chair.email)
    _login(delegate_page, servers.base, delegate.email)
    citizen_page = browser.new_context(locale="fr-FR").new_page()
    chair_page.goto(f"{servers.base}/meetings/{meeting.id}/chair")
    delegate_page.goto(f"{servers.base}/meetings/{meeting.id}")
    citizen_page.goto(f"{servers.base}/meetings/{meeting.id}")
    for page in (chair_page, delegate_page, citizen_page):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "online")

    chair_page.get_by_role("button", name="Ouvrir la séance").click()
    expect(delegate_page.locator("#live-state")).to_have_text("Ouverte")
    delegate_page.get_by_role("button", name="Demander la parole").click()
    expect(chair_page.locator("#live-speakers")).to_contain_text("Métropole de Lyon (Nadia Benali)")
    chair_page.get_by_role("button", name="Donner la parole").click()
    for page in (chair_page, delegate_page, citizen_page):
        expect(page.locator("#live-floor")).to_contain_text("À la parole : Métropole de Lyon")
        expect(page.locator("#live-timer")).to_contain_text("Temps restant")
    expect(delegate_page.locator("#live-log")).to_contain_text("La parole est à Métropole de Lyon (Nadia Benali).")
    expect(citizen_page.get_by_role("button", name="Demander la parole")).to_have_count(0)

    # The live server restarts; meanwhile the chair ends the turn and opens the first item through the web door.
    servers.stop_live()
    expect(delegate_page.locator("#live-status")).not_to_have_attribute("data-state", "online")
    run_command(meeting.id, chair, "floor.next", {})
    run_command(meeting.id, chair, "item.next", {})
    db.session.commit()
    servers.start_live()
    expect(delegate_page.locator("#live-status")).to_have_attribute("data-state", "online", timeout=20000)
    expect(delegate_page.locator("#live-floor")).to_contain_text("Personne n’a la parole.")
    expect(delegate_page.locator("#live-agenda li[aria-current=true]")).to_contain_text("Adoption de l’ordre du jour")
    expect(delegate_page.locator("#live-log")).to_contain_text("Point 1 ouvert : Adoption de l’ordre du jour.")
    expect(delegate_page.locator("#live-log")).to_contain_text("Fin de l’intervention")
    expect(delegate_page.locator("#live-time tr[data-party]")).to_contain_text("Métropole de Lyon")


def test_a_citizen_page_shows_events_that_arrive_together(servers, browser, make):
    """Three delegations ask for the floor while another transaction holds the meeting: the live server commits the
    requests queued behind the first together and sends them as one message (a JSON array of events). The citizen's
    page shows each of them, once."""
    from sqlalchemy import update

    meeting, chair, lyon = _meeting(make)
    heads = [lyon] + [make.member(meeting.conference, "head_of_delegation",
                                  make.party(meeting.conference, name=name), user_obj=make.user(name=person))
                      for name, person in (("Grenoble-Alpes-Métropole", "Gaspard Roux"),
                                           ("CA du Grand Annecy", "Anne Morel"))]
    run_command(meeting.id, chair, "meeting.open", {})
    db.session.commit()
    citizen = browser.new_context(locale="fr-FR").new_page()
    citizen.goto(f"{servers.base}/meetings/{meeting.id}")
    pages = []
    for head in heads:
        page = browser.new_context(locale="fr-FR").new_page()
        _login(page, servers.base, head.email)
        page.goto(f"{servers.base}/meetings/{meeting.id}")
        pages.append(page)
    for page in (citizen, *pages):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "online")

    with db.engine.connect() as other:  # the meeting locked by another transaction while the three ask
        other.execute(update(Meeting).where(Meeting.id == meeting.id).values(version=Meeting.version))
        for page in pages:
            page.get_by_role("button", name="Demander la parole").click()
        citizen.wait_for_timeout(800)
        other.rollback()

    speakers = citizen.locator("#live-speakers")
    for party, person in (("Métropole de Lyon", "Nadia Benali"), ("Grenoble-Alpes-Métropole", "Gaspard Roux"),
                          ("CA du Grand Annecy", "Anne Morel")):
        expect(speakers).to_contain_text(f"{party} ({person})")
        expect(citizen.locator("#live-log li", has_text=f"Demande de parole de {party} ({person}).")).to_have_count(1)
