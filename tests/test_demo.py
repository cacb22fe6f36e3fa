"""The demo: the AURA COP on the real seed, with its accounts; a second run changes nothing."""
from cop import demo
from cop.auth.models import User
from cop.conferences.models import Conference, Membership, Party, PhaseChange, Target
from cop.db import db
from cop.territories.models import Territory


def _counts() -> dict:
    """Rows per table."""
    return {table.name: db.session.scalar(db.select(db.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_demo_builds_the_aura_cop_and_a_second_run_changes_nothing(client, auth):
    accounts = demo.build_demo()
    first = _counts()
    assert demo.build_demo() == accounts
    assert _counts() == first

    conference = db.session.scalar(db.select(Conference))
    assert (conference.title, conference.code, conference.phase) == (
        demo.TITLE, "COP-AURA-2027", "negotiation")
    region = conference.region
    epcis = db.session.scalar(db.select(db.func.count(Territory.id)).filter_by(kind="epci", region_id=region.id))
    assert epcis > 150
    parties = db.session.scalars(db.select(Party)).all()
    assert len(parties) == epcis + 2
    assert {p.accreditation for p in parties} == {"accredited"}
    assert {demo.STATE_PARTY, "Auvergne-Rhône-Alpes"} <= {p.name for p in parties}
    assert first["target"] == len(demo.TARGETS_2030) and first["phase_change"] == 2

    heads = db.session.scalars(db.select(Membership).filter_by(role="head_of_delegation")).all()
    epci = [m for m in heads if m.party.territory is not None and m.party.territory.kind == "epci"]
    assert sorted(m.party.territory.code for m in epci) == sorted(
        [demo.LYON, demo.GRENOBLE, demo.CLERMONT])
    assert {m.party.name for m in heads if m not in epci} == {
        demo.STATE_PARTY, "Auvergne-Rhône-Alpes"}
    assert len(accounts) == 10 and all(len(password) >= 10 for _, password, _ in accounts)
    assert db.session.scalar(db.select(User.is_admin).filter_by(email=demo.ADMIN.email))

    response = auth.login(demo.PRESIDENCY.email, demo.PRESIDENCY.password)
    assert response.status_code == 302
    page = client.get(f"/cop/{conference.id}").get_data(as_text=True)
    assert "Industrie électronique" in page and "Calendrier et règles" in page


def test_demo_keeps_changes_made_since(client):
    demo.build_demo()
    conference = db.session.scalar(db.select(Conference))
    target = db.session.scalars(db.select(Target)).first()
    target.value = 1
    conference.quorum_percent = 75
    db.session.commit()
    demo.build_demo()
    db.session.refresh(target)
    db.session.refresh(conference)
    assert target.value == 1 and conference.quorum_percent == 75
    assert db.session.scalar(db.select(db.func.count(PhaseChange.id))) == 2


def test_the_demo_shares_the_targets_among_the_intercommunalities(app_ctx):
    """The AURA demo COP publishes its indicative shares (by population, version 1), summing to each target."""
    from cop.conferences.models import Conference
    from cop.fairshare import compute

    demo.build_demo()
    shares = compute.compute(db.session.scalar(db.select(Conference)))
    assert shares.basis.number == 1 and shares.method == "population"
    assert shares.targets and all(sum(t.shares.values()) == t.value for t in shares.targets)


def test_demo_shows_a_sealed_project_revealed_at_its_date_and_a_project_shared_by_three_parties(runner):
    from datetime import datetime, timezone

    from cop.commitments import synthesis
    from cop.projects.models import Project

    demo.build_demo()
    conference = db.session.scalar(db.select(Conference))
    sealed = db.session.scalar(db.select(Project).filter_by(is_sealed=True))
    assert sealed.party.territory.code == demo.GRENOBLE and sealed.warned_dt is not None
    assert sealed.revealed_dt == datetime(2027, 3, 15, 9, tzinfo=timezone.utc).replace(
        tzinfo=sealed.revealed_dt.tzinfo)
    assert runner.invoke(args=["cop", "seal", "verify"]).exit_code == 0
    shared = db.session.scalar(db.select(Project).filter_by(is_sealed=False))
    assert shared.name == "Plateforme de recyclage des métaux critiques de Saint-Fons"
    row = next(r for r in synthesis.compute(conference).rows
               if r.sector.code == "mines-metallurgie" and r.indicator.code == "jobs-maintained")
    assert (row.parties, row.unconditional, row.avoided) == (3, 350, 700) and shared.number == 2
    from cop.commitments.models import Commitment
    from cop.sites.models import RegistrySite

    commitment = db.session.scalar(db.select(Commitment).filter_by(is_sealed=True))
    site = db.session.scalar(db.select(RegistrySite).filter_by(is_sealed=True))
    assert commitment.is_hidden and commitment.party.territory.code == demo.CLERMONT and site.is_hidden
    assert commitment.versions[0].status == "accepted" and commitment.versions[0].scope == "" and site.name == ""
    wood = next(r for r in synthesis.compute(conference).rows
                if r.sector.code == "bois" and r.indicator.code == "jobs-created")
    assert wood.unconditional >= 120


def test_the_demo_funders_answer_its_support_requests(app_ctx):
    """The Region and the State answer the accepted commitments' requests; the granted ones unlock ambition."""
    from cop.commitments import synthesis
    from cop.conferences.models import Conference
    from cop.funding import queries, unlocked

    demo.build_demo()
    conference = db.session.scalar(db.select(Conference))
    lines = [line for line in queries.requests(conference.id) if line.answer is not None]
    assert {line.answer.status for line in lines} >= {"granted", "partly_granted"}
    rows = unlocked.compute(conference.id, synthesis.compute(conference).rows)
    assert any(row.unlocked > 0 for row in rows)
