"""Reviews: a queue, and a thread of messages per filed version between the party and the presidency."""
import pytest

from cop.commitments import review_thread
from cop.commitments.models import ReviewComment
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make)
    w.commitment = file(w, w.a, "automobile", draft_input("100"), accept=False)
    db.session.commit()
    return w


def _url(world, tail=""):
    return f"/cop/{world.conference.id}/engagements/{world.commitment.id}/versions/1{tail}"


def test_presidency_and_party_talk_in_the_thread(world, client, auth):
    auth.login("presidence@example.fr")
    queue = client.get(f"/cop/{world.conference.id}/engagements/a-examiner").get_data(as_text=True)
    assert "CA du Bassin A" in queue and _url(world, "#fil") in queue
    assert client.post(_url(world, "/fil"), data={"body": "D’où vient la valeur de 2025 ?"}).status_code == 302
    auth.logout()
    auth.login("chef.a@example.fr")
    assert client.post(_url(world, "/fil"), data={"body": "Des données **URSSAF**."}).status_code == 302
    page = client.get(_url(world)).get_data(as_text=True)
    assert page.index("D’où vient la valeur") < page.index("<strong>URSSAF</strong>")


def test_the_thread_is_private(world, client, auth):
    review_thread.add_comment(world.presidency, world.commitment.versions[0], "Question privée.")
    db.session.commit()
    assert "Question privée." not in client.get(_url(world)).get_data(as_text=True)
    auth.login("chef.b@example.fr")
    assert "Question privée." not in client.get(_url(world)).get_data(as_text=True)


@pytest.mark.parametrize("email", ["chef.b@example.fr", "observateur@example.fr", "assistant.a@example.fr"])
def test_others_cannot_write_in_the_thread(world, client, auth, email):
    auth.login(email)
    assert client.post(_url(world, "/fil"), data={"body": "Intrusion"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(ReviewComment.id))) == 0


def test_refusals_of_the_thread(world):
    version = world.commitment.versions[0]
    with pytest.raises(Invalid):
        review_thread.add_comment(world.head_a, version, "   ")
    with pytest.raises(Invalid):
        review_thread.add_comment(world.head_a, version, "x" * 5001)
    world.conference.phase = "closed"
    with pytest.raises(WrongPhase):
        review_thread.add_comment(world.head_a, version, "Trop tard")
    world.conference.phase = "call_for_commitments"
    from cop.commitments import services

    draft = services.open_draft(world.head_a, world.commitment)
    with pytest.raises(Conflict):
        review_thread.add_comment(world.head_a, draft, "Sur le brouillon")
    with pytest.raises(Forbidden):
        review_thread.add_comment(world.head_b, version, "Pas ma partie")


def test_hostile_markdown_in_the_thread_is_neutralised(world, client, auth):
    auth.login("chef.a@example.fr")
    client.post(_url(world, "/fil"), data={"body": "<script>alert(1)</script>[x](javascript:alert(1))"})
    page = client.get(_url(world)).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "javascript:alert" not in page
