"""The landing page after login lists each role's pending work."""
from datetime import date, datetime, timedelta, timezone

import pytest

from cop.auth.invitations import invite
from cop.db import db
from cop.meetings.models import Meeting
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make, commitments_due_on=date.today() + timedelta(days=5))
    db.session.commit()
    return w


def _page(client, auth, email):
    auth.login(email)
    return client.get("/tableau-de-bord").get_data(as_text=True)


def test_login_lands_on_the_dashboard(world, client, auth):
    response = auth.login("presidence@example.fr")
    assert response.status_code == 302 and response.headers["Location"] == "/tableau-de-bord"


def test_anonymous_is_sent_to_login(client):
    response = client.get("/tableau-de-bord")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_presidency_sees_reviews_unfiled_parties_invitations_and_meetings(world, app, make, client, auth):
    file(world, world.a, "automobile", draft_input("100"), accept=False)
    with app.test_request_context():
        invite(world.presidency, world.conference, "nouveau@example.fr", "delegate", world.b)
    db.session.add(Meeting(conference_id=world.conference.id, kind="plenary", title="Plénière d’ouverture",
                           starts_dt=datetime.now(timezone.utc) + timedelta(days=3), chair_id=world.presidency.id))
    db.session.commit()
    page = _page(client, auth, "presidence@example.fr")
    assert "1 engagement attend votre examen" in page
    assert "1 partie n’a encore rien déposé" in page and "CC du Val B" in page
    assert "restent 5 jours" in page
    assert "nouveau@example.fr" in page and "1 invitation non acceptée" in page
    assert "Plénière d’ouverture" in page and "ordre du jour vide" in page


def test_head_of_delegation_sees_its_commitments_and_what_is_asked(world, client, auth):
    from cop.commitments import submission

    commitment = file(world, world.a, "automobile", draft_input("100"), accept=False)
    submission.review(world.presidency, commitment.versions[-1], False, "Précisez la méthode.")
    db.session.commit()
    page = _page(client, auth, "chef.a@example.fr")
    assert "Automobile" in page and "Renvoyé" in page
    assert "la présidence a renvoyé la version 1" in page and "Précisez la méthode." in page
    assert "1 engagement attend" not in page             # staff work is not shown to a party
    auth.logout()
    page = _page(client, auth, "chef.b@example.fr")
    assert "Déclarer vos filières prioritaires" in page and "Aucun engagement" in page


def test_a_delegate_who_may_not_file_sees_commitments_but_no_asks(world, client, auth):
    page = _page(client, auth, "assistant.a@example.fr")
    assert "Engagements de CA du Bassin A" in page and "Ce qui vous est demandé" not in page


def test_observer_sees_upcoming_meetings_only(world, client, auth):
    page = _page(client, auth, "observateur@example.fr")
    assert "Aucune séance prévue" in page and "attend votre examen" not in page


def test_closed_cop_leaves_the_dashboard(world, client, auth):
    world.conference.phase = "closed"
    db.session.commit()
    assert "Vous n’êtes membre d’aucune COP en cours" in _page(client, auth, "presidence@example.fr")
