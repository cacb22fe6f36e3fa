"""The web door of meetings: scheduling, agenda editing, pages, the live token and the no-JavaScript commands."""
from datetime import datetime, timezone

import pytest
from flask_babel import get_babel

from cop.db import db
from cop.errors import WrongPhase
from cop.live import tokens
from cop.meetings.models import Meeting, MeetingEvent
from cop.meetings.services import run_command


def _schedule(client, conf, chair, **overrides):
    data = {"kind": "plenary", "title": "Plénière de clôture", "starts_dt": "2027-06-01T09:30", "place": "Lyon",
            "chair_id": chair.id, "sector_id": 0, "is_public": "y"}
    data.update(overrides)
    return client.post(f"/meetings/cop/{conf.id}/new", data=data)


def test_presidency_schedules_a_meeting(client, auth, room):
    auth.login(room.chair.email)
    response = _schedule(client, room.conf, room.chair)
    assert response.status_code == 302
    meeting = db.session.scalar(db.select(Meeting).filter_by(title="Plénière de clôture"))
    assert meeting.is_public and meeting.chair_id == room.chair.id and meeting.state == "scheduled"
    # 09:30 in Paris (summer time) is 07:30 UTC; the pages show 09:30 again.
    stored = meeting.starts_dt if meeting.starts_dt.tzinfo else meeting.starts_dt.replace(tzinfo=timezone.utc)
    assert stored == datetime(2027, 6, 1, 7, 30, tzinfo=timezone.utc)
    listing = client.get(f"/meetings/cop/{room.conf.id}").get_data(as_text=True)
    assert "Plénière de clôture" in listing and "Planifier une séance" in listing
    assert "1 juin 2027 à 09:30" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_times_are_read_in_the_cop_time_zone(app, client, auth, room):
    auth.login(room.chair.email)
    get_babel(app).default_timezone = "America/Cayenne"
    try:
        _schedule(client, room.conf, room.chair, starts_dt="2027-01-15T09:30", title="Séance en Guyane")
        meeting = db.session.scalar(db.select(Meeting).filter_by(title="Séance en Guyane"))
        stored = meeting.starts_dt if meeting.starts_dt.tzinfo else meeting.starts_dt.replace(tzinfo=timezone.utc)
        assert stored == datetime(2027, 1, 15, 12, 30, tzinfo=timezone.utc)
        assert "15 janvier 2027 à 09:30" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    finally:
        get_babel(app).default_timezone = app.config["BABEL_DEFAULT_TIMEZONE"]


def test_a_yearly_review_session_sits_in_implementation_only(client, auth, room):
    room.conf.phase = "implementation"
    db.session.commit()
    auth.login(room.chair.email)
    assert _schedule(client, room.conf, room.chair, kind="review", title="Revue annuelle 2028").status_code == 302
    review = db.session.scalar(db.select(Meeting).filter_by(title="Revue annuelle 2028"))
    event, _ = run_command(review.id, room.chair, "meeting.open", {})
    db.session.commit()
    assert event.name == "meeting.opened"
    with pytest.raises(WrongPhase, match="elle siège en phase « Négociation », « Adoption »"):
        run_command(room.meeting.id, room.chair, "meeting.open", {})
    db.session.rollback()
    room.conf.phase = "negotiation"
    db.session.commit()
    with pytest.raises(WrongPhase, match="elle siège en phase « Mise en œuvre »"):
        run_command(review.id, room.a, "floor.request", {})


@pytest.mark.parametrize("overrides, status, message", [
    ({"kind": "contact_group"}, 422, "Un groupe de contact porte sur une filière"),
    ({"title": ""}, 422, "Le titre est obligatoire"),
    ({"starts_dt": "demain"}, 422, "Indiquez une date et une heure valides"),
])
def test_schedule_refuses_bad_input(client, auth, room, overrides, status, message):
    auth.login(room.chair.email)
    response = _schedule(client, room.conf, room.chair, **overrides)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Meeting)) == 1


def test_a_delegate_cannot_schedule(client, auth, room):
    auth.login(room.a.email)
    assert client.get(f"/meetings/cop/{room.conf.id}/new").status_code == 403
    assert _schedule(client, room.conf, room.chair).status_code == 403


def test_agenda_editing_and_stale_version(client, auth, room):
    auth.login(room.chair.email)
    page = client.get(f"/meetings/{room.meeting.id}/agenda")
    assert page.status_code == 200 and "Questions diverses" in page.get_data(as_text=True)
    version = room.meeting.version
    response = client.post(f"/meetings/{room.meeting.id}/agenda",
                           data={"title": "Calendrier des groupes de contact", "version": version})
    assert response.status_code == 302
    stale = client.post(f"/meetings/{room.meeting.id}/agenda", data={"title": "Point tardif", "version": version},
                        follow_redirects=True)
    assert "a changé depuis que vous l’avez ouvert" in stale.get_data(as_text=True)
    db.session.expire_all()
    meeting = db.session.get(Meeting, room.meeting.id)
    assert [i.title for i in meeting.items][-1] == "Calendrier des groupes de contact" and len(meeting.items) == 4
    last = meeting.items[-1]
    client.post(f"/meetings/{meeting.id}/agenda/{last.id}/up", data={"version": meeting.version})
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).items[2].title == "Calendrier des groupes de contact"
    client.post(f"/meetings/{meeting.id}/agenda/{last.id}/remove", data={"version": meeting.version})
    db.session.expire_all()
    assert len(db.session.get(Meeting, meeting.id).items) == 3


def test_agenda_refusals(client, auth, room):
    auth.login(room.a.email)
    assert client.get(f"/meetings/{room.meeting.id}/agenda").status_code == 403
    auth.logout()
    auth.login(room.chair.email)
    run_command(room.meeting.id, room.chair, "meeting.open", {})
    run_command(room.meeting.id, room.chair, "item.open", {"item_id": room.items[0]})
    db.session.commit()
    meeting = db.session.get(Meeting, room.meeting.id)
    refused = client.post(f"/meetings/{meeting.id}/agenda/{room.items[0]}/remove", data={"version": meeting.version},
                          follow_redirects=True)
    assert "il reste au compte rendu" in refused.get_data(as_text=True)
    assert client.post(f"/meetings/{meeting.id}/agenda/999/up", data={"version": meeting.version},
                       follow_redirects=True).status_code == 200


def test_live_token(client, auth, room, app):
    assert client.get(f"/meetings/{room.meeting.id}/live-token").status_code == 302  # to the login page
    auth.login(room.a.email)
    response = client.get(f"/meetings/{room.meeting.id}/live-token")
    body = response.get_json()
    assert response.headers["Cache-Control"] == "no-store" and body["url"] == app.config["COP_LIVE_URL"]
    read = tokens.read(app.config["SECRET_KEY"], body["token"], room.meeting.id, 60)
    assert read == (room.a.id, room.a.session_nonce)
    room.meeting.is_public = False
    db.session.commit()
    auth.logout()
    auth.login(room.outsider.email)
    assert client.get(f"/meetings/{room.meeting.id}/live-token").status_code == 403
    assert client.get("/meetings/98765/live-token").status_code == 404


def test_pages_without_javascript(client, auth, room):
    public = client.get(f"/meetings/{room.meeting.id}").get_data(as_text=True)
    assert "Adoption de l’ordre du jour" in public and 'id="live-log"' in public and "aria-live" in public
    assert "Demander la parole" not in public
    assert client.get(f"/meetings/{room.meeting.id}/projector").status_code == 200
    assert client.get(f"/meetings/{room.meeting.id}/chair").status_code == 302
    auth.login(room.a.email)
    assert "Demander la parole" not in client.get(f"/meetings/{room.meeting.id}").get_data(as_text=True)
    run_command(room.meeting.id, room.chair, "meeting.open", {})
    db.session.commit()
    assert "Demander la parole" in client.get(f"/meetings/{room.meeting.id}").get_data(as_text=True)
    assert client.get(f"/meetings/{room.meeting.id}/chair").status_code == 403
    room.meeting.is_public = False
    db.session.commit()
    auth.logout()
    assert client.get(f"/meetings/{room.meeting.id}").status_code == 302
    auth.login(room.observer.email)
    assert client.get(f"/meetings/{room.meeting.id}").status_code == 403
    assert client.get(f"/meetings/{room.meeting.id}/minutes").status_code == 403


def test_commands_through_the_web_door_and_the_minutes(client, auth, room):
    auth.login(room.chair.email)
    assert "Ouvrir la séance" in client.get(f"/meetings/{room.meeting.id}/chair").get_data(as_text=True)
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "meeting.open", "command_id": "w1"})
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "meeting.open", "command_id": "w1"})
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "item.next", "command_id": "w2"})
    auth.logout()
    auth.login(room.a.email)
    refused = client.post(f"/meetings/{room.meeting.id}/command", data={"name": "meeting.close"}, follow_redirects=True)
    assert "Seule la présidence de séance peut faire cela." in refused.get_data(as_text=True)
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "floor.request", "point_of_order": "1"})
    auth.logout()
    auth.login(room.chair.email)
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "floor.next", "command_id": "w3"})
    client.post(f"/meetings/{room.meeting.id}/command", data={"name": "floor.next", "command_id": "w4"})
    names = db.session.scalars(db.select(MeetingEvent.name).order_by(MeetingEvent.seq)).all()
    assert names == ["meeting.opened", "item.opened", "floor.requested", "floor.given", "floor.ended"]
    minutes = client.get(f"/meetings/{room.meeting.id}/minutes").get_data(as_text=True)
    assert "La séance est ouverte." in minutes and "Motion d’ordre de CA du Pays Voironnais (" in minutes
    assert "La parole est à CA du Pays Voironnais (" in minutes
    assert "Point 1 ouvert : Adoption de l’ordre du jour." in minutes and "<caption>" in minutes


def test_chair_is_told_when_the_phase_does_not_allow_the_meeting(client, auth, room):
    room.conf.phase = "call_for_commitments"
    db.session.commit()
    auth.login(room.chair.email)
    page = client.get(f"/meetings/{room.meeting.id}/chair").get_data(as_text=True)
    assert "elle siège en phase « Négociation », « Adoption »" in page and "Changer de phase" in page
    room.conf.phase = "negotiation"
    db.session.commit()
    assert "ne pourra siéger" not in client.get(f"/meetings/{room.meeting.id}/chair").get_data(as_text=True)
