"""Funders answer support requests: designated by the managers, budgets set by the funder's delegation; an answer
fits its budget or is refused; the synthesis turns the granted conditional parts firm; the API publishes it all."""
from decimal import Decimal

import pytest

from cop.audit.models import AuditEvent
from cop.commitments import synthesis
from cop.commitments.inputs import SupportInput
from cop.db import db
from cop.funding import unlocked
from cop.funding.models import Funder, FunderBudget, SupportAnswer
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make, client, auth):
    """A COP with Bpifrance as a party, its head, a designated funder with one budget, and one accepted commitment
    whose 60 conditional jobs depend on a 500 000 € request to Bpifrance."""
    w = build_world(make)
    w.bpi = make.party(w.conference, name="Bpifrance Auvergne-Rhône-Alpes", kind="funder")
    w.head_bpi = make.member(w.conference, "head_of_delegation", w.bpi, make.user(email="bpi@example.fr"))
    make.target(w.conference, w.sectors["automobile"], w.indicators["jobs-created"], 1000)
    w.commitment = file(w, w.a, "automobile", draft_input("100", "60"))
    db.session.commit()
    auth.login(w.presidency.email)
    assert client.post(f"/cop/{w.conference.id}/financeurs",
                       data={"party_id": w.bpi.id, "code": "bpifrance", "answer_days": "45"}).status_code == 302
    auth.login(w.head_bpi.email)
    w.funder = db.session.scalar(db.select(Funder))
    assert client.post(f"/cop/{w.conference.id}/financeurs/{w.funder.id}/budgets",
                       data={"programme": "Prêts industrie", "year": "2027", "amount": "800 000"}).status_code == 302
    w.budget = db.session.scalar(db.select(FunderBudget))
    w.request = w.commitment.versions[-1].support_requests[0]
    return w


def _answer(client, w, status, **fields):
    data = {"status": status, "budget_id": str(w.budget.id), "amount": "", "reason": "", "answered_on": "2027-03-02"}
    data.update(fields)
    return client.post(f"/cop/{w.conference.id}/appuis/{w.request.id}/reponse", data=data)


def _row(w):
    rows = synthesis.compute(w.conference).rows
    return next(u for u in unlocked.compute(w.conference.id, rows) if u.row.sector.code == "automobile")


def test_a_granted_request_turns_its_conditional_part_firm(client, world):
    assert (_row(world).unlocked, _row(world).firm) == (0, 100)
    assert _answer(client, world, "granted").status_code == 302
    row = _row(world)
    assert (row.unlocked, row.firm, row.gap_firm) == (Decimal(60), Decimal(160), Decimal(840))
    page = client.get(f"/cop/{world.conference.id}/synthese").get_data(as_text=True)
    assert "Ambition conditionnelle débloquée" in page
    support = client.get(f"/cop/{world.conference.id}/appuis").get_data(as_text=True).replace(
        "\u202f", " ").replace("\xa0", " ")
    assert "Accordée" in support and "500 000" in support and "300 000" in support   # committed, then remaining
    answer = db.session.scalar(db.select(SupportAnswer))
    assert (answer.amount, answer.budget_id, str(answer.answered_on)) == (Decimal(500000), world.budget.id,
                                                                           "2027-03-02")
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="support.answered")) is not None
    # A partial grant later supersedes it: half the money, half the conditional part.
    assert _answer(client, world, "partly_granted", amount="250 000").status_code == 302
    assert _row(world).unlocked == Decimal(30)
    assert _answer(client, world, "refused", reason="Hors critères du programme.").status_code == 302
    assert _row(world).unlocked == 0


def test_an_answer_beyond_the_budget_is_refused(client, world):
    assert client.post(f"/cop/{world.conference.id}/financeurs/{world.funder.id}/budgets",
                       data={"programme": "Prêts industrie", "year": "2027", "amount": "400000"}).status_code == 302
    response = _answer(client, world, "granted")
    assert response.status_code == 409
    assert "Budget dépassé : Prêts industrie 2027 n’a plus que 400" in response.get_data(as_text=True).replace(
        "&#39;", "'")
    assert db.session.scalar(db.select(SupportAnswer)) is None and _row(world).unlocked == 0
    assert _answer(client, world, "partly_granted", amount="400000").status_code == 302
    # The budget cannot then fall below what it commits.
    response = client.post(f"/cop/{world.conference.id}/financeurs/{world.funder.id}/budgets",
                           data={"programme": "Prêts industrie", "year": "2027", "amount": "100000"})
    assert response.status_code == 409


@pytest.mark.parametrize("status, fields, code, message", [
    ("refused", {}, 422, "Un refus est motivé"),
    ("partly_granted", {"amount": "600000"}, 422, "Un accord partiel porte sur un montant entre 0 et"),
    ("partly_granted", {"amount": "-5"}, 422, "Un nombre positif est attendu"),
    ("granted", {"budget_id": ""}, 422, "Choisissez le budget"),
    ("granted", {"budget_id": "999"}, 422, "Choisissez le budget"),
    ("approved", {}, 422, ""),
])
def test_bad_answers_are_refused_and_nothing_is_written(client, world, status, fields, code, message):
    response = _answer(client, world, status, **fields)
    assert response.status_code == code
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SupportAnswer)) is None


def test_only_the_funders_delegation_answers_in_its_phases(client, auth, make, world):
    for user in (world.head_a, world.presidency, world.observer):
        auth.login(user.email)
        assert _answer(client, world, "granted").status_code == 403
        assert client.post(f"/cop/{world.conference.id}/financeurs/{world.funder.id}/budgets",
                           data={"programme": "X", "year": "2027", "amount": "1"}).status_code == 403
    auth.login(world.head_bpi.email)
    assert client.post(f"/cop/{world.conference.id}/financeurs",
                       data={"party_id": world.bpi.id, "code": "eu", "answer_days": "30"}).status_code == 403
    # A request addressed to another funder is not Bpifrance's to answer.
    other = file(world, world.b, "automobile", draft_input("10", "5", support=SupportInput(
        "region", Decimal(1000), "Formation", ["jobs-created"])))
    db.session.commit()
    response = client.post(f"/cop/{world.conference.id}/appuis/{other.versions[-1].support_requests[0].id}/reponse",
                           data={"status": "granted", "budget_id": str(world.budget.id)})
    assert response.status_code == 404
    world.conference.phase = "preparation"
    db.session.commit()
    assert _answer(client, world, "granted").status_code == 409
    auth.logout()
    assert _answer(client, world, "granted").status_code == 302   # to the login page
    assert db.session.scalar(db.select(SupportAnswer)) is None


def test_the_api_publishes_answers_budgets_and_deadlines(client, auth, world):
    assert _answer(client, world, "partly_granted", amount="200000").status_code == 302
    auth.logout()
    body = client.get(f"/api/v1/conferences/{world.conference.id}/support-answers").get_json()
    item = body["items"][0]
    assert item["answer"]["status"] == "partly_granted" and item["answer"]["amount"] == 200000
    assert item["funder"] == "bpifrance" and item["due_on"] is not None
    assert body["funders"][0]["budgets"] == [{"programme": "Prêts industrie", "year": 2027, "amount": 800000,
                                              "committed": 200000, "remaining": 600000}]
    rows = client.get("/opendata/reponses_appui.json").get_json()
    assert rows[0]["status"] == "partly_granted"
    assert client.get(f"/cop/{world.conference.id}/appuis", headers={"Accept-Language": "en"}).status_code == 200
