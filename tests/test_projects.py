"""The project registry: sealing, revealing, reading sealed content, refusals, the seal check, the reveal job."""
from datetime import date, datetime, timedelta, timezone

import pytest

from cop.audit.models import AuditEvent
from cop.commitments.models import Pledge
from cop.db import db
from cop.errors import Conflict, Forbidden, Invalid, WrongPhase
from cop.notify.models import OutboxMessage
from cop.projects import operations, schedule, seal
from cop.projects.verify import verify_all
from tests.commitment_helpers import build_world

SIRET = "73282932000074"


def _sealed(world, name="Usine d’électrolyseurs", announce=None):
    return operations.register(world.head_a, world.a, sector_code="automobile", name=name, siret=SIRET,
                               commune="69123", description="Ligne pilote", sealed=True,
                               reason="Secret des affaires jusqu’à l’annonce",
                               announce_on=announce or date.today() + timedelta(days=30))


def test_siret_luhn_check():
    assert operations.siret_valid(SIRET)
    assert not operations.siret_valid("73282932000075")
    assert not operations.siret_valid("7328293200007")
    assert not operations.siret_valid("7328293200007a")
    assert operations.siret_valid("35600000000001")  # La Poste: digits summing to a multiple of 5


def test_sealed_project_publishes_a_salted_digest_of_its_canonical_content(make):
    world = build_world(make)
    project = _sealed(world)
    db.session.commit()
    assert project.is_hidden and len(project.seal_salt) == 32 and len(project.seal_digest) == 64
    assert project.seal_digest == seal.digest(project.seal_salt, seal.content(project))
    text = seal.sealed_text(project.seal_salt, seal.content(project))
    assert text.startswith('{"content":{"commune":{"code":"69123","name":"Lyon"}') and project.seal_salt in text
    event = db.session.scalars(db.select(AuditEvent).filter_by(action="project.registered")).one()
    assert "électrolyseurs" not in event.data and project.seal_digest in event.data


@pytest.mark.parametrize("given, error", [
    ({"reason": ""}, Invalid), ({"announce_on": None}, Invalid),
    ({"announce_on": date(2020, 1, 1)}, Invalid), ({"siret": "12345678901234"}, Invalid),
    ({"name": "  "}, Invalid), ({"sector_code": "inconnue"}, Invalid),
])
def test_register_refuses_bad_input_and_writes_nothing(make, given, error):
    world = build_world(make)
    db.session.commit()
    args = dict(sector_code="automobile", name="Usine", siret=SIRET, commune="", sealed=True, reason="Secret",
                announce_on=date.today() + timedelta(days=3))
    args.update(given)
    with pytest.raises(error):
        operations.register(world.head_a, world.a, **args)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(db.text("project"))) == 0


def test_only_the_partys_filers_register_and_reveal(make):
    world = build_world(make)
    with pytest.raises(Forbidden):
        operations.register(world.head_b, world.a, sector_code="automobile", name="Usine")
    with pytest.raises(Forbidden):
        operations.register(world.assistant_a, world.a, sector_code="automobile", name="Usine")
    project = _sealed(world)
    for intruder in (world.head_b, world.observer, world.presidency):
        with pytest.raises(Forbidden):
            operations.reveal(intruder, project)
    operations.reveal(world.delegate_a, project)
    with pytest.raises(Conflict):
        operations.reveal(world.head_a, project)


def test_register_refused_in_preparation(make):
    world = build_world(make, phase="preparation")
    with pytest.raises(WrongPhase):
        operations.register(world.head_a, world.a, sector_code="automobile", name="Usine")


@pytest.mark.parametrize("setting, readers", [
    ("presidency", {"presidency"}), ("managers", {"presidency", "secretariat"}),
    ("managers_and_state", {"presidency", "secretariat", "state"}),
])
def test_who_reads_sealed_content_is_a_rule_of_procedure_and_every_read_is_audited(make, setting, readers):
    world = build_world(make)
    world.conference.sealed_readers = setting
    state = make.party(world.conference, make.territory(region=world.conference.region, name="Préfecture"),
                       kind="state")
    people = {"presidency": world.presidency,
              "secretariat": make.member(world.conference, "secretariat", None, make.user(email="sg@example.fr")),
              "state": make.member(world.conference, "head_of_delegation", state, make.user(email="sgar@example.fr")),
              "other party": world.head_b, "observer": world.observer}
    project = _sealed(world)
    db.session.commit()
    for who, user in people.items():
        if who in readers:
            assert operations.read_sealed(user, project)["siret"] == SIRET
        else:
            with pytest.raises(Forbidden):
                operations.read_sealed(user, project)
    reads = db.session.scalars(db.select(AuditEvent).filter_by(action="project.sealed_read")).all()
    assert len(reads) == len(readers)


def test_read_sealed_through_the_web_is_logged_and_not_cached(make, client, auth):
    world = build_world(make)
    project = _sealed(world, name="Projet MARQUE-WEB")
    db.session.commit()
    url = f"/cop/{world.conference.id}/projets/{project.number}/lire"
    auth.login("chef.b@example.fr")
    refused = client.post(url)
    assert refused.status_code == 403 and "MARQUE-WEB" not in refused.get_data(as_text=True)
    auth.logout()
    auth.login("presidence@example.fr")
    page = client.get(f"/cop/{world.conference.id}/projets/{project.number}")
    assert "Lire le contenu scellé" in page.get_data(as_text=True)
    read = client.post(url)
    assert read.status_code == 200 and "MARQUE-WEB" in read.get_data(as_text=True)
    assert read.headers["Cache-Control"] == "no-store"
    assert db.session.scalar(db.select(db.func.count(AuditEvent.seq)).filter_by(action="project.sealed_read")) == 1


def test_reveal_through_the_web_then_the_page_shows_the_text_to_hash(make, client, auth):
    world = build_world(make)
    project = _sealed(world)
    db.session.commit()
    auth.login("chef.a@example.fr")
    response = client.post(f"/cop/{world.conference.id}/projets/{project.number}/reveler")
    assert response.status_code == 302
    page = client.get(f"/cop/{world.conference.id}/projets/{project.number}").get_data(as_text=True)
    assert "Usine d’électrolyseurs" in page and project.seal_digest in page and "seal-check.js" in page
    assert project.seal_salt in page and 'id="sealed-text"' in page


def test_verify_passes_after_reveal_and_catches_tampering(make, runner):
    world = build_world(make)
    project = _sealed(world)
    operations.reveal(world.head_a, project)
    db.session.commit()
    result = runner.invoke(args=["cop", "seal", "verify"])
    assert result.exit_code == 0 and "1 révélé(s) conforme(s)" in result.output
    assert verify_all(world.conference.id)[2] == []
    project.description = "Ligne pilote agrandie"
    db.session.commit()
    result = runner.invoke(args=["cop", "seal", "verify"])
    assert result.exit_code == 1 and "ne correspond pas au sceau" in result.output


def test_a_tampered_content_cannot_be_revealed(make):
    world = build_world(make)
    project = _sealed(world)
    project.name = "Autre chose"
    with pytest.raises(Conflict):
        operations.reveal(world.head_a, project)


def test_the_job_warns_a_week_before_then_reveals_at_the_date(make, runner):
    world = build_world(make)
    announce = date.today() + timedelta(days=20)
    project = _sealed(world, announce=announce)
    db.session.commit()
    at = lambda day: datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)  # noqa: E731
    assert schedule.run(at(announce - timedelta(days=8))) == ([], [])
    warned, revealed = schedule.run(at(announce - timedelta(days=7)))
    assert warned == [project] and revealed == [] and project.warned_dt is not None
    mails = db.session.scalars(db.select(OutboxMessage)).all()
    assert {m.to_address for m in mails} == {"chef.a@example.fr", "delegue.a@example.fr"}
    assert all("électrolyseurs" not in m.body for m in mails)
    with pytest.raises(Forbidden):
        operations.reveal_due(world.head_b, project, at(announce))
    with pytest.raises(Conflict):
        operations.reveal_due(world.presidency, project, at(announce - timedelta(days=1)))
    result = runner.invoke(args=["cop", "seal", "reveal-due", "--now", at(announce).isoformat()])
    assert result.exit_code == 0 and "1 contenu(s) scellé(s) révélé(s)" in result.output
    db.session.expire_all()
    assert project.is_revealed and project.revealed_by_id is None
    assert schedule.run(at(announce + timedelta(days=1))) == ([], [])


def test_presidency_reveals_at_the_date_through_the_web(make, client, auth):
    world = build_world(make)
    announce = date.today()
    project = _sealed(world, announce=announce)
    db.session.commit()
    auth.login("presidence@example.fr")
    url = f"/cop/{world.conference.id}/projets/{project.number}/reveler-a-date"
    assert client.post(url).status_code == 409  # the party was not warned
    project.warned_dt = datetime.now(timezone.utc) - timedelta(days=8)
    db.session.commit()
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert project.is_revealed


def test_register_page_refuses_other_parties(make, client, auth):
    world = build_world(make)
    db.session.commit()
    auth.login("chef.b@example.fr")
    url = f"/cop/{world.conference.id}/parties/{world.a.id}/projets/nouveau"
    page = client.get(url)
    assert "ne pouvez pas" in page.get_data(as_text=True)
    response = client.post(url, data={"name": "Intrus", "sector": "automobile"})
    assert response.status_code == 403
    auth.logout()
    auth.login("chef.a@example.fr")
    response = client.post(url, data={"name": "Usine", "sector": "automobile", "siret": SIRET, "sealed": "y",
                                      "seal_reason": "Secret", "announce_on": str(date.today() + timedelta(days=9))})
    assert response.status_code == 302


def _filing_form(world, commitment, **extra):
    from tests.test_commitments_views import form

    return form(commitment.version, "300", action="submit", **extra)


def test_a_pledge_line_names_a_project_with_its_share_through_the_draft_form(make, client, auth):
    from tests.test_commitments_views import _started

    world = build_world(make)
    project = _sealed(world)
    db.session.commit()
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    url = f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon"
    page = client.get(url).get_data(as_text=True)
    assert 'name="pledges-0-project"' in page and "confidentiel (sceau" in page and "électrolyseurs" not in page
    bad = client.post(url, data=_filing_form(world, commitment, **{"pledges-0-share": "40"}))
    assert bad.status_code == 422 and "suppose un projet du registre" in bad.get_data(as_text=True)
    for hostile in ("999999", "1; DROP TABLE project", "-1"):
        response = client.post(url, data=_filing_form(world, commitment, **{"pledges-0-project": hostile,
                                                                            "pledges-0-share": "40"}))
        assert response.status_code in (400, 422)
    over = client.post(url, data=_filing_form(world, commitment, **{"pledges-0-project": str(project.id),
                                                                   "pledges-0-share": "140"}))
    assert over.status_code == 422 and "entre 0 et 100" in over.get_data(as_text=True)
    response = client.post(url, data=_filing_form(world, commitment, **{"pledges-0-project": str(project.id),
                                                                       "pledges-0-share": "40"}))
    assert response.status_code == 302
    db.session.expire_all()
    line = db.session.scalars(db.select(Pledge)).one()
    assert (line.project_id, line.project_share) == (project.id, 40)
    shown = client.get(f"/cop/{world.conference.id}/engagements/{commitment.id}").get_data(as_text=True)
    assert "Projet n° 1 · confidentiel" in shown and "électrolyseurs" not in shown


def test_a_project_of_another_cop_cannot_be_named(make, client, auth):
    from tests.test_commitments_views import _started

    world = build_world(make)
    other = make.conference(make.region("53", "Bretagne"), phase="call_for_commitments")
    head = make.member(other, "head_of_delegation", make.party(other, make.territory(region=other.region)))
    elsewhere = operations.register(head, db.session.scalars(db.select(type(world.a)).filter_by(
        conference_id=other.id)).one(), sector_code="automobile", name="Ailleurs")
    db.session.commit()
    commitment = _started(world)
    auth.login("chef.a@example.fr")
    url = f"/cop/{world.conference.id}/engagements/{commitment.id}/brouillon"
    response = client.post(url, data=_filing_form(world, commitment, **{"pledges-0-project": str(elsewhere.id),
                                                                       "pledges-0-share": "50"}))
    assert response.status_code == 422 and "pas inscrit au registre de cette COP" in response.get_data(as_text=True)
