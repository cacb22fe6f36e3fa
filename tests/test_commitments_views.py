"""Filing through the pages: forms, permissions by URL, draft privacy, stale copies, review, step-back marks."""
import pytest

from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector
from cop.db import db
from tests.commitment_helpers import TEXTS, build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make)
    db.session.commit()
    return w


def form(version, unconditional="120", conditional="", scope=None, **extra):
    """The fields of the draft form, as a browser posts them."""
    data = {"version": str(version), "reference_year": "2025", "target_year": "2030", **TEXTS,
            "pledges-0-indicator": "jobs-created", "pledges-0-reference_year": "2025",
            "pledges-0-reference_value": "0", "pledges-0-target_year": "2030",
            "pledges-0-unconditional": unconditional, "pledges-0-conditional": conditional,
            "pledges-1-indicator": "", "supports-0-funder": "", "sites-0-name": "", "sites-0-commune_code": ""}
    if scope is not None:
        data["scope"] = scope
    data.update(extra)
    return data


def _started(world):
    """Party A's automobile commitment with an empty draft, committed."""
    from cop.commitments import services

    services.declare_priority(world.head_a, world.a, world.sectors["automobile"], "Équipementiers.")
    commitment = services.start_commitment(world.head_a, world.a, world.sectors["automobile"])
    db.session.commit()
    return commitment


def test_head_files_through_the_pages(world, client, auth):
    auth.login("chef.a@example.fr")
    base = f"/cop/{world.conference.id}"
    response = client.post(f"{base}/parties/{world.a.id}/engagements",
                           data={"sector": "automobile", "reason": "Équipementiers du bassin."})
    assert response.status_code == 302
    response = client.post(f"{base}/parties/{world.a.id}/engagements/automobile")
    assert response.status_code == 302 and response.headers["Location"].endswith("/brouillon")
    commitment = db.session.scalar(db.select(Commitment))
    page = client.get(f"{base}/engagements/{commitment.id}/brouillon")
    assert page.status_code == 200 and 'name="pledges-0-indicator"' in page.get_data(as_text=True)
    response = client.post(f"{base}/engagements/{commitment.id}/brouillon",
                           data=form(commitment.version, "1 200,5", "300", **{
                               "supports-0-funder": "bpifrance", "supports-0-amount": "2 000 000",
                               "supports-0-purpose": "Robotisation", "supports-0-indicators": "jobs-created",
                               "sites-0-name": "Friche Nord", "sites-0-commune_code": "69123",
                               "sites-0-hectares": "4,5", "sites-0-kind": "brownfield",
                               "sites-0-status": "identified", "partners": str(world.b.id)}))
    assert response.status_code == 302
    db.session.expire_all()
    draft = db.session.scalar(db.select(CommitmentVersion))
    assert str(draft.pledges[0].unconditional_value) == "1200.50" and draft.sites[0].commune.name == "Lyon"
    assert draft.partners == [world.b] and draft.support_requests[0].pledges == [draft.pledges[0]]
    response = client.post(f"{base}/engagements/{commitment.id}/soumettre", data={"version": draft.commitment.version})
    assert response.status_code == 302
    page = client.get(f"{base}/engagements/{commitment.id}").get_data(as_text=True)
    assert "Soumis" in page and "Friche Nord" in page and "Robotisation" in page


@pytest.mark.parametrize("email, status", [("chef.b@example.fr", 403), ("assistant.a@example.fr", 403),
                                           ("observateur@example.fr", 403)])
def test_filing_for_another_party_by_url_is_refused(world, client, auth, email, status):
    commitment = _started(world)
    auth.login(email)
    base = f"/cop/{world.conference.id}"
    assert client.post(f"{base}/parties/{world.a.id}/engagements",
                       data={"sector": "bois", "reason": "x"}).status_code == status
    assert client.post(f"{base}/parties/{world.a.id}/engagements/bois").status_code == status
    if email != "assistant.a@example.fr":   # a member of the party sees the draft, the others get 404
        assert client.post(f"{base}/engagements/{commitment.id}/brouillon",
                           data=form(commitment.version)).status_code == 404
    else:
        assert client.post(f"{base}/engagements/{commitment.id}/brouillon",
                           data=form(commitment.version)).status_code == 403
    assert db.session.scalar(db.select(db.func.count(PartyPrioritySector.id))) == 1
    assert drafts_pledges() == 0


def drafts_pledges() -> int:
    from cop.commitments.models import Pledge

    return db.session.scalar(db.select(db.func.count(Pledge.id)))


@pytest.mark.parametrize("email", [None, "observateur@example.fr", "chef.b@example.fr"])
def test_drafts_are_private(world, client, auth, email):
    commitment = _started(world)
    if email:
        auth.login(email)
    base = f"/cop/{world.conference.id}/engagements/{commitment.id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/versions/1").status_code == 404
    assert client.get(f"/api/v1/conferences/{world.conference.id}/commitments/{commitment.id}").status_code == 404


@pytest.mark.parametrize("email", ["presidence@example.fr", "assistant.a@example.fr"])
def test_party_and_presidency_read_drafts(world, client, auth, email):
    commitment = _started(world)
    auth.login(email)
    page = client.get(f"/cop/{world.conference.id}/engagements/{commitment.id}")
    assert page.status_code == 200 and "Brouillon : visible seulement" in page.get_data(as_text=True)


def test_draft_of_a_filed_commitment_stays_private(world, client):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    from cop.commitments import services

    services.open_draft(world.head_a, commitment)
    db.session.commit()
    base = f"/cop/{world.conference.id}/engagements/{commitment.id}"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/versions/1").status_code == 200
    assert client.get(f"{base}/versions/2").status_code == 404


def test_two_people_saving_from_stale_copies(world, app, auth):
    commitment = _started(world)
    opened = commitment.version
    first, second = app.test_client(), app.test_client()
    for client, email in ((first, "chef.a@example.fr"), (second, "delegue.a@example.fr")):
        client.post("/auth/login", data={"email": email, "password": "motdepasse-de-test"})
    url = f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon"
    assert first.post(url, data=form(opened, "150")).status_code == 302
    response = second.post(url, data=form(opened, "175", scope="Mon périmètre à moi"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "a enregistré ce brouillon" in page and "Ce qui a changé entre-temps" in page
    assert "Mon périmètre à moi" in page and 'value="175"' in page      # their input, shown back
    assert "Cibles chiffrées" in page and "Périmètre" in page           # what differs
    db.session.expire_all()
    assert str(db.session.scalar(db.select(CommitmentVersion)).pledges[0].unconditional_value) == "150.00"
    assert second.post(url, data=form(opened + 1, "175")).status_code == 302   # deliberate overwrite


@pytest.mark.parametrize("fields, message", [
    ({"pledges-0-unconditional": "-5"}, "négatives"),
    ({"pledges-0-indicator": "bonheur"}, "pas dans le catalogue"),
    ({"pledges-0-target_year": "2020"}, "précède l’année de référence"),
    ({"pledges-0-conditional": "40"}, "exige au moins une demande d’appui"),
    ({"pledges-0-unconditional": "=1+1"}, "n’est pas un nombre"),
])
def test_invalid_form_input_is_refused_in_french(world, client, auth, fields, message):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    response = client.post(f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon",
                           data={**form(commitment.version), **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert drafts_pledges() == 0


@pytest.mark.parametrize("phase", ["preparation", "closed"])
def test_submitting_outside_the_phase_is_refused(world, client, auth, phase):
    commitment = _started(world)
    world.conference.phase = phase
    db.session.commit()
    auth.login("chef.a@example.fr")
    response = client.post(f"/cop/{world.conference.id}/engagements/{commitment.id}/soumettre",
                           data={"version": commitment.version})
    assert response.status_code == 409
    assert "appel à engagements" in response.get_data(as_text=True).lower()  # the rulebook names the phase


def test_review_by_presidency_only(world, client, auth):
    commitment = file(world, world.a, "automobile", draft_input("100"), accept=False)
    db.session.commit()
    url = f"/cop/{world.conference.id}/engagements/{commitment.id}/versions/1/examen"
    auth.login("chef.a@example.fr")
    assert client.post(url, data={"decision": "accept"}).status_code == 403
    auth.logout()
    auth.login("presidence@example.fr")
    assert client.post(url, data={"decision": "return", "comment": ""}).status_code == 422
    assert client.post(url, data={"decision": "accept"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Commitment, commitment.id).status == "accepted"
    queue = client.get(f"/cop/{world.conference.id}/engagements/a-examiner")
    assert queue.status_code == 200 and "Aucune version n’attend" in queue.get_data(as_text=True)


def test_step_backs_are_marked_on_public_views(world, client):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    file(world, world.a, "automobile", draft_input("60", justification="Fermeture d’une fonderie."))
    db.session.commit()
    listing = client.get(f"/cop/{world.conference.id}/engagements").get_data(as_text=True)
    page = client.get(f"/cop/{world.conference.id}/engagements/{commitment.id}").get_data(as_text=True)
    synthesis = client.get(f"/cop/{world.conference.id}/synthese").get_data(as_text=True)
    assert "badge-stepback" in listing and "Recul" in listing
    assert "Recul par rapport à la version précédente" in page and "Fermeture d’une fonderie." in page
    assert "Engagements en recul" in synthesis and "badge-stepback" in synthesis


def test_hostile_markdown_is_neutralised_on_the_page(world, client):
    hostile = ("<script>alert(1)</script> [clic](javascript:alert(2)) <img src=x onerror=alert(3)> "
               '<p style="color:red">rouge</p> [ok](https://example.org)')
    commitment = file(world, world.a, "automobile", draft_input("100", actions=hostile))
    db.session.commit()
    page = client.get(f"/cop/{world.conference.id}/engagements/{commitment.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "javascript:" not in page and "onerror" not in page
    assert 'style="color' not in page and 'href="https://example.org"' in page


def test_withdrawal_through_the_page(world, client, auth):
    commitment = file(world, world.a, "automobile", draft_input("100"))
    from cop.commitments import services

    services.open_draft(world.head_a, commitment)
    db.session.commit()
    auth.login("chef.a@example.fr")
    url = f"/cop/{world.conference.id}/engagements/{commitment.id}/retirer"
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"reason": "Projet abandonné."}).status_code == 302
    page = client.get(f"/cop/{world.conference.id}/engagements/{commitment.id}").get_data(as_text=True)
    assert "Projet abandonné." in page and "Retiré" in page


def test_listing_offers_the_filing_desk_and_the_review_queue(world, client, auth):
    url = f"/cop/{world.conference.id}/engagements"
    assert "Engagements à examiner" not in client.get(url).get_data(as_text=True)
    auth.login("chef.a@example.fr")
    page = client.get(url).get_data(as_text=True)
    assert f"/parties/{world.a.id}/engagements" in page and "Engagements à examiner" not in page
    desk = client.get(f"/cop/{world.conference.id}/parties/{world.a.id}/engagements")
    assert desk.status_code == 200 and "Déclarer une filière prioritaire" in desk.get_data(as_text=True)
    assert client.get(f"/cop/{world.conference.id}/parties/{world.b.id}/engagements").status_code == 403
    auth.logout()
    auth.login("presidence@example.fr")
    assert "Engagements à examiner" in client.get(url).get_data(as_text=True)


def test_malformed_years_get_a_french_message(world, client, auth):
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    response = client.post(f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon",
                           data={**form(commitment.version), "pledges-0-reference_year": "abc", "target_year": "deux"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Not a valid" not in page
    assert "« deux » n’est pas une année sur quatre chiffres" in page
    assert "« abc » n’est pas une année" in page
