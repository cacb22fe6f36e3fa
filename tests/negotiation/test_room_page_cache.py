"""The room's page shares one snapshot per seq between its readers while the meeting sits, and never shows the room
older than its last event or its COP's last change; the timer runs with the clock on every page."""
from cop.db import db
from cop.meetings import room_views
from tests.negotiation.conftest import do


def page(client, neg) -> str:
    response = client.get(f"/meetings/{neg.meeting.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_readers_share_the_snapshot_until_the_next_event_or_change(client, neg, monkeypatch):
    builds = []
    real = room_views.snapshot
    monkeypatch.setattr(room_views, "snapshot", lambda meeting: builds.append(meeting.last_seq) or real(meeting))

    first = page(client, neg)
    assert "Métropole de Lyon" in first and page(client, neg) and page(client, neg)
    assert len(builds) == 1  # three readers, one build

    # An event: the next reader sees it.
    assert "Anne Annecy" not in first
    do(neg.u.annecy, neg.meeting, "floor.request")
    assert "Anne Annecy" in page(client, neg) and len(builds) == 2

    # A change of the COP outside the journal (a party renamed): the next reader sees it too.
    neg.lyon.name = "Métropole de Lyon (Grand Lyon)"
    db.session.commit()
    assert "Métropole de Lyon (Grand Lyon)" in page(client, neg) and len(builds) == 3
    assert "Métropole de Lyon (Grand Lyon)" in page(client, neg) and len(builds) == 3


def test_a_speaker_timer_is_read_for_each_page(neg, app):
    do(neg.u.lyon, neg.meeting, "floor.request")
    do(neg.u.chair, neg.meeting, "floor.next")
    with app.test_request_context():
        first = room_views.page_state(neg.meeting)
        again = room_views.page_state(neg.meeting)
    assert first["timer"]["running"] and first["speakers"][0]["state"] == "speaking"
    assert again["timer"]["elapsed"] >= first["timer"]["elapsed"]
    assert again["timer"] is not first["timer"] and again["speakers"] is first["speakers"]


def test_a_meeting_not_sitting_is_built_for_each_reader(client, neg, monkeypatch):
    do(neg.u.chair, neg.meeting, "meeting.close")
    builds = []
    real = room_views.snapshot
    monkeypatch.setattr(room_views, "snapshot", lambda meeting: builds.append(1) or real(meeting))
    page(client, neg)
    page(client, neg)
    assert len(builds) == 2
