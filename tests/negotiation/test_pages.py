"""The web door: the text page, the versions page, the room's panel, the minutes, and commands posted from forms."""
from datetime import timedelta

from cop import demo
from cop.db import db, utcnow
from cop.meetings.models import MeetingEvent
from cop.negotiation.decisions.models import ObjectionWindow
from cop.negotiation.votes.models import Vote
from cop.negotiation.texts.models import Amendment, Draft
from cop.negotiation.decisions.timers import settle_due
from tests.negotiation.conftest import build, do


def url(neg, suffix=""):
    return f"/meetings/{neg.meeting.id}/items/{neg.item.id}/text{suffix}"


def post(client, neg, name, **fields):
    """Post a command form as the page does."""
    return client.post(f"/meetings/{neg.meeting.id}/negotiation", data=dict(name=name, back_item=neg.item.id, **fields))


def test_the_text_page_shows_the_draft_to_citizens_of_a_public_meeting(client, neg):
    page = client.get(url(neg))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Déclaration de Lyon" in body and '<mark class="bracket">[2 000 / 3 000]</mark>' in body
    assert "Projet de texte de la présidence — version du" in body and "Amender le §" not in body


def test_a_closed_meeting_text_is_for_participants_only(client, auth, neg, make):
    neg.meeting.is_public = False
    outsider = make.user(email="dehors@example.fr")
    db.session.commit()
    assert client.get(url(neg)).status_code in (302, 401)
    auth.login(outsider.email)
    assert client.get(url(neg)).status_code == 403


def test_a_delegate_tables_and_the_chair_integrates_through_forms(client, auth, neg):
    auth.login(neg.u.lyon_delegate.email)
    assert "Amender le § 2" in client.get(url(neg)).get_data(as_text=True)
    answer = post(client, neg, "amendment.table", paragraph_id=neg.p[1], version=1, kind="replace",
                  text="Les parties réhabilitent 200 hectares de friches.", explanation="Ambition.")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(url(neg))
    amendment_id = db.session.scalar(db.select(Amendment.id))
    refused = post(client, neg, "amendment.integrate", amendment_id=amendment_id)
    assert refused.status_code == 303
    assert "Seule la présidence de séance" in client.get(url(neg)).get_data(as_text=True)
    auth.logout()
    auth.login(neg.u.chair.email)
    page = client.get(url(neg)).get_data(as_text=True)
    assert "<del>à réhabiliter 150</del><ins>200</ins> hectares" in page
    assert post(client, neg, "amendment.integrate", amendment_id=amendment_id).status_code == 302
    assert db.session.scalar(db.select(Amendment)).state == "integrated"
    versions = client.get(url(neg, "/versions?from=1&to=2")).get_data(as_text=True)
    assert "Amendement 1 (Métropole de Lyon) intégré au § 2" in versions and "<ins>200</ins>" in versions


def test_hostile_form_input_is_refused_cleanly(client, auth, neg):
    auth.login(neg.u.chair.email)
    assert post(client, neg, "meeting.close").status_code == 400
    answer = post(client, neg, "text.edit", paragraph_id="deux", version=1, text="x")
    assert answer.status_code == 303
    assert client.get(url(neg, "/versions?from=1&to=99")).status_code == 404


def test_the_browser_keeps_its_secret_receipt_to_change_its_vote(client, auth, make):
    neg = build(make, decision_mode="vote", secret_ballot=True)
    auth.login(neg.u.chair.email)
    post(client, neg, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    post(client, neg, "rollcall.record", item_id=neg.item.id, present=[neg.lyon.id, neg.grenoble.id])
    post(client, neg, "vote.open", item_id=neg.item.id)
    vote = db.session.scalar(db.select(Vote))
    assert vote is not None and vote.present_count == 2
    auth.logout()
    auth.login(neg.u.lyon.email)
    assert post(client, neg, "vote.cast", vote_id=vote.id, choice="yes").status_code == 302
    with client.session_transaction() as session:
        assert list(session["vote_receipts"]) == [str(vote.id)]
    assert "Changer notre vote" in client.get(url(neg)).get_data(as_text=True)
    assert post(client, neg, "vote.change", vote_id=vote.id, choice="no").status_code == 302
    db.session.expire_all()
    assert (vote.yes_count, vote.no_count) == (0, 0)  # a secret ballot is counted at the close only
    auth.logout()
    auth.login(neg.u.chair.email)
    post(client, neg, "vote.close", vote_id=vote.id)
    db.session.expire_all()
    assert (vote.yes_count, vote.no_count) == (0, 1)


def test_the_minutes_list_amendments_versions_objections_and_decisions(client, neg):
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=1)
    amendment = do(neg.u.grenoble, neg.meeting, "amendment.table", paragraph_id=neg.p[2], kind="replace",
                   text="Le secrétariat publie un bilan semestriel.", version=1)["amendment"]
    do(neg.u.annecy, neg.meeting, "amendment.cosponsor", amendment_id=amendment["id"])
    do(neg.u.chair, neg.meeting, "amendment.integrate", amendment_id=amendment["id"])
    window = do(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)["window"]
    objection = do(neg.u.lyon, neg.meeting, "objection.raise", window_id=window["id"],
                   reason="Trop peu ambitieux.")["objection"]
    do(neg.u.chair, neg.meeting, "objection.overrule", objection_id=objection["id"],
       ruling="Le texte reflète le consensus.")
    db.session.get(ObjectionWindow, window["id"]).ends_dt = utcnow() - timedelta(seconds=1)
    db.session.commit()
    settle_due()
    page = client.get(f"/meetings/{neg.meeting.id}/minutes").get_data(as_text=True)
    assert "Décision 1/COP-AURA-2027" in page and "Par consensus" in page
    assert "Grenoble-Alpes-Métropole, avec CA du Grand Annecy" in page and "Intégré (version 3)" in page
    assert "« Trop peu ambitieux. » — Rejetée par la présidence" in page
    assert "Le marteau tombe : Décision 1/COP-AURA-2027 adoptée par consensus." in page
    assert "Projet de texte de la présidence — version du" in page and "Texte adopté (par consensus)" in page


def test_room_console_and_projector_show_the_amendment_under_discussion(client, auth, neg):
    do(neg.u.lyon, neg.meeting, "amendment.table", paragraph_id=neg.p[1], kind="replace", version=1,
       text="Les parties s’engagent à réhabiliter 200 hectares de friches.")
    projector = client.get(f"/meetings/{neg.meeting.id}/projector").get_data(as_text=True)
    assert "Amendement 1 au § 2" in projector and "<del>150</del><ins>200</ins>" in projector
    assert "js/live-room.js" in projector and "site-header" not in projector
    auth.login(neg.u.chair.email)
    console = client.get(f"/meetings/{neg.meeting.id}/chair").get_data(as_text=True)
    assert "Intégrer au texte" in console
    panel = client.get(f"/meetings/{neg.meeting.id}/negotiation/panel?mode=room")
    assert panel.status_code == 200 and "<html" not in panel.get_data(as_text=True)
    assert client.get(f"/meetings/{neg.meeting.id}/negotiation/panel?mode=evil").status_code == 404


def test_the_demo_plenary_carries_a_bracketed_draft(client):
    demo.build_demo()
    demo.build_demo()
    drafts = db.session.scalars(db.select(Draft)).all()
    assert len(drafts) == 1 and len(drafts[0].paragraphs) == 4
    assert [p.number for p in drafts[0].paragraphs if "[" in p.text] == [2]
    meeting_id = drafts[0].agenda_item.meeting_id
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Projet de décision sur l’organisation des travaux" in page


def test_the_text_page_draws_each_stage_of_a_decision(client, auth, make):
    neg = build(make, decision_mode="vote")
    do(neg.u.chair, neg.meeting, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=1)
    window = do(neg.u.chair, neg.meeting, "decision.propose", item_id=neg.item.id)["window"]
    do(neg.u.lyon, neg.meeting, "objection.raise", window_id=window["id"], reason="Pas encore.")
    auth.login(neg.u.grenoble.email)
    page = client.get(url(neg)).get_data(as_text=True)
    assert "Objection de Métropole de Lyon" in page and "Faire objection" in page and 'id="countdown"' in page
    do(neg.u.chair, neg.meeting, "decision.cancel", window_id=window["id"])
    vote = do(neg.u.chair, neg.meeting, "vote.open", item_id=neg.item.id)["vote"]
    page = client.get(url(neg)).get_data(as_text=True)
    assert "Vote de Grenoble-Alpes-Métropole" in page and "Proposition retirée" in page
    do(neg.u.grenoble, neg.meeting, "vote.cast", vote_id=vote["id"], choice="yes")
    assert "Changer notre vote" in client.get(url(neg)).get_data(as_text=True)
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    page = client.get(url(neg)).get_data(as_text=True)
    assert "Votes par délégation (scrutin public)" in page and "Décision 1/COP-AURA-2027" in page


def test_the_web_door_counts_only_the_roll_call_the_chair_recorded_for_the_item(client, auth, make):
    neg = build(make, called=False, decision_mode="vote", quorum_percent=50)
    auth.login(neg.u.chair.email)
    post(client, neg, "text.resolve", paragraph_id=neg.p[0], version=1, group=0, option=0)
    everyone = [neg.lyon.id, neg.grenoble.id, neg.annecy.id]
    page = client.get(url(neg)).get_data(as_text=True)
    assert 'name="present"' in page and " checked" not in page.split('name="present"')[1].split(">")[0]
    refused = post(client, neg, "vote.open", item_id=neg.item.id, present=everyone)
    assert refused.status_code == 303 and db.session.scalar(db.select(Vote)) is None
    assert "faites l’appel" in client.get(url(neg)).get_data(as_text=True)
    post(client, neg, "rollcall.record", item_id=neg.item.id, present=[neg.lyon.id, 99999])
    assert db.session.scalar(db.select(MeetingEvent).filter_by(name="rollcall.recorded")) is None
    post(client, neg, "rollcall.record", item_id=neg.item.id, present=[neg.lyon.id])
    post(client, neg, "vote.open", item_id=neg.item.id, present=everyone)
    assert db.session.scalar(db.select(Vote)) is None
    post(client, neg, "rollcall.record", item_id=neg.item.id, present=[neg.lyon.id, neg.grenoble.id])
    post(client, neg, "vote.open", item_id=neg.item.id, present=everyone)
    vote = db.session.scalar(db.select(Vote))
    assert vote is not None and vote.present_count == 2 and vote.quorum_required == 2
    calls = db.session.scalars(db.select(MeetingEvent).filter_by(name="rollcall.recorded")
                               .order_by(MeetingEvent.seq)).all()
    assert [c.data["present"] for c in calls] == [[neg.lyon.id], sorted([neg.lyon.id, neg.grenoble.id])]
    assert all(c.data["item_id"] == neg.item.id for c in calls)
    auth.logout()
    auth.login(neg.u.lyon.email)
    post(client, neg, "rollcall.record", item_id=neg.item.id, present=everyone)
    assert len(db.session.scalars(db.select(MeetingEvent).filter_by(name="rollcall.recorded")).all()) == 2
