"""Phase moves: forward one step by the presidency, back one step with a reason, never a skip."""
import pytest

from cop.conferences.models import Conference, PhaseChange
from cop.db import db


def _changes() -> list[PhaseChange]:
    return db.session.scalars(db.select(PhaseChange).order_by(PhaseChange.id)).all()


def _move(client, conference, to_phase, reason="", version=None, confirm="y"):
    return client.post(f"/cop/{conference.id}/phase", data={
        "to_phase": to_phase, "reason": reason, "version": conference.version if version is None else version,
        "confirm": confirm})


@pytest.fixture
def presided(make, auth):
    """A COP in preparation and its logged-in presidency."""
    conference = make.conference()
    president = make.member(conference, "presidency", user_obj=make.user(name="Claire Vasseur"))
    db.session.commit()
    auth.login(president.email)
    return conference


def test_presidency_moves_forward_step_by_step(client, presided):
    for phase in ("call_for_commitments", "negotiation", "adoption", "implementation", "closed"):
        response = _move(client, presided, phase)
        assert response.status_code == 302
        db.session.refresh(presided)
        assert presided.phase == phase
    assert [(c.from_phase, c.to_phase) for c in _changes()][-1] == ("implementation", "closed")
    assert len(_changes()) == 5
    page = client.get(f"/cop/{presided.id}").get_data(as_text=True)
    assert "Mise en œuvre → Clôturée" in page and "Claire Vasseur" in page


def test_skipping_a_phase_is_refused(client, presided):
    response = _move(client, presided, "negotiation")
    assert response.status_code == 409
    assert "Pas de saut d&#39;étape" in response.get_data(as_text=True)
    assert "la seule étape suivante est « Appel à engagements »" in response.get_data(as_text=True)
    db.session.refresh(presided)
    assert presided.phase == "preparation" and _changes() == []


def test_unknown_and_same_phase_are_refused(client, presided):
    assert _move(client, presided, "fete").status_code == 422
    assert _move(client, presided, "preparation").status_code == 409
    assert _changes() == []


def test_going_back_needs_a_reason(client, presided):
    _move(client, presided, "call_for_commitments")
    db.session.refresh(presided)
    refused = _move(client, presided, "preparation", reason="  ")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "demande une raison" in page and 'id="reason-back-error"' in page
    db.session.refresh(presided)
    assert presided.phase == "call_for_commitments" and len(_changes()) == 1
    accepted = _move(client, presided, "preparation", reason="Objectifs régionaux à revoir après l'avis du CESER.")
    assert accepted.status_code == 302
    db.session.refresh(presided)
    assert presided.phase == "preparation"
    assert _changes()[-1].reason == "Objectifs régionaux à revoir après l'avis du CESER."
    history = client.get(f"/cop/{presided.id}").get_data(as_text=True)
    assert "retour en arrière" in history and "avis du CESER" in history


def test_going_back_two_steps_is_refused_even_with_a_reason(client, presided):
    _move(client, presided, "call_for_commitments")
    db.session.refresh(presided)
    _move(client, presided, "negotiation")
    db.session.refresh(presided)
    assert _move(client, presided, "preparation", reason="Tout recommencer depuis le début.").status_code == 409
    db.session.refresh(presided)
    assert presided.phase == "negotiation"


def test_stale_phase_form_is_refused(client, presided):
    _move(client, presided, "call_for_commitments")
    response = _move(client, presided, "negotiation", version=1)
    assert response.status_code == 409
    assert "Claire Vasseur a modifié : phase" in response.get_data(as_text=True)
    db.session.refresh(presided)
    assert presided.phase == "call_for_commitments"


@pytest.mark.parametrize("role", ["secretariat", "head_of_delegation", "observer", None])
def test_only_the_presidency_moves_the_phase(client, auth, make, role):
    conference = make.conference()
    user = make.member(conference, role) if role else make.user()
    db.session.commit()
    auth.login(user.email)
    assert client.get(f"/cop/{conference.id}/phase").status_code == 403
    response = _move(client, conference, "call_for_commitments")
    assert response.status_code == 403
    assert "Seule la présidence" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Conference.phase)) == "preparation" and _changes() == []


def test_phase_page_offers_forward_and_back(client, presided):
    _move(client, presided, "call_for_commitments")
    page = client.get(f"/cop/{presided.id}/phase").get_data(as_text=True)
    assert "Passer en phase « Négociation »" in page and "Revenir en phase « Préparation »" in page
    assert 'id="confirm-forward"' in page and 'id="confirm-back"' in page  # each move asks its own confirmation


def test_closed_cop_has_no_next_phase(make):
    from cop.conferences.phases import move_phase
    from cop.errors import WrongPhase

    conference = make.conference(phase="closed")
    president = make.member(conference, "presidency")
    with pytest.raises(WrongPhase, match="elle est clôturée"):
        move_phase(president, conference, "preparation", "Erreur de manipulation grave.")


def test_a_move_shows_what_is_pending_and_needs_an_explicit_confirmation_kept_in_the_audit_log(client, make, presided):
    from datetime import datetime, timezone

    from cop.audit.models import AuditEvent
    from cop.meetings.models import Meeting

    presided.phase = "adoption"
    chair = make.member(presided, "secretariat")
    make.party(presided)
    db.session.add(Meeting(conference_id=presided.id, kind="plenary", title="Plénière de clôture", state="open",
                           chair_id=chair.id, starts_dt=datetime(2027, 6, 1, 7, 30, tzinfo=timezone.utc)))
    db.session.add(Meeting(conference_id=presided.id, kind="contact_group", title="Groupe bois", chair_id=chair.id,
                           starts_dt=datetime(2027, 6, 2, 7, 30, tzinfo=timezone.utc)))
    db.session.commit()
    page = client.get(f"/cop/{presided.id}/phase").get_data(as_text=True)
    assert "Séance(s) encore ouverte(s) : Plénière de clôture." in page
    assert "ne pourront pas siéger dans la nouvelle phase : Groupe bois." in page
    refused = _move(client, presided, "implementation", confirm="")
    assert refused.status_code == 422 and "Confirmez le passage en phase « Mise en œuvre »" in refused.get_data(
        as_text=True)
    db.session.refresh(presided)
    assert presided.phase == "adoption" and _changes() == []
    assert _move(client, presided, "implementation").status_code == 302
    moved = db.session.scalar(db.select(AuditEvent).filter_by(action="conference.phase_moved"))
    assert '"confirmed":true' in moved.data and '"open_meetings":1' in moved.data
    assert '"stranded_meetings":1' in moved.data
