"""A COP ready for its roadmap: parties with accepted commitments, targets, a closing plenary."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge, Site, SupportRequest
from cop.db import db
from cop.meetings.models import Meeting
from cop.negotiation.decisions.models import Decision
from cop.signals import decision_adopted

TEXTS = dict(scope="Périmètre", actions="Actions", assumptions_method="Méthode", local_preparation="Concertation",
             fairness_ambition="Équité", regional_contribution="Contribution")


@dataclass
class Scenario:
    """What the tests act on."""

    conference: object
    presidency: object
    secretariat: object
    parties: list
    heads: list
    sectors: list
    indicators: dict
    plenary: object
    commitments: list = field(default_factory=list)


def file_version(commitment, number, values, status="accepted", justification="", step_back=False, extra=None):
    """A filed version with pledges {indicator: (unconditional, conditional)} on the given indicators."""
    version = CommitmentVersion(commitment=commitment, number=number, status=status, reference_year=2025,
                                target_year=2030, justification=justification, is_step_back=step_back,
                                submitted_dt=datetime.now(timezone.utc), **TEXTS)
    db.session.add(version)
    for position, (indicator, (unconditional, conditional)) in enumerate(values.items()):
        version.pledges.append(Pledge(indicator=indicator, position=position, reference_year=2025,
                                      reference_value=Decimal(0), target_year=2030,
                                      unconditional_value=Decimal(str(unconditional)),
                                      conditional_value=Decimal(str(conditional))))
    for item in (extra or []):
        item(version)
    commitment.status = status
    db.session.flush()
    return version


def commitment(party, sector, values, **kw):
    """A commitment of a party for a filière, with one accepted version."""
    db.session.add(PartyPrioritySector(party_id=party.id, sector_id=sector.id, reason="Ressources du territoire"))
    item = Commitment(conference_id=party.conference_id, party_id=party.id, sector_id=sector.id)
    db.session.add(item)
    db.session.flush()
    file_version(item, 1, values, **kw)
    return item


def support(funder, amount, purpose="Ligne de production"):
    """A support request to attach to a version."""
    def attach(version):
        version.support_requests.append(SupportRequest(funder=funder, amount=Decimal(amount), purpose=purpose,
                                                       pledges=list(version.pledges)))
    return attach


def site(commune, hectares, name="Friche des Forges"):
    """A site to attach to a version."""
    def attach(version):
        version.sites.append(Site(name=name, commune=commune, hectares=Decimal(hectares), kind="brownfield"))
    return attach


def build(make, phase="adoption") -> Scenario:
    """Three EPCI (two filed, one silent), targets on two filières, a plenary."""
    sectors, indicators = make.reference()
    by_code = {i.code: i for i in indicators}
    conference = make.conference(phase=phase, code="COP-AURA-2027")
    presidency = make.member(conference, "presidency")
    secretariat = make.member(conference, "secretariat")
    parties = [make.party(conference, name=f"CC numéro {n}", terr=make.territory(region=conference.region,
                                                                             name=f"CC numéro {n}"))
               for n in (1, 2, 3)]
    heads = [make.member(conference, "head_of_delegation", p) for p in parties]
    jobs, invest = by_code["jobs-created"], by_code["investment"]
    make.target(conference, sectors[0], jobs, 1000)
    make.target(conference, sectors[0], invest, 5_000_000)
    make.target(conference, sectors[1], jobs, 300)
    commune = make.commune(make.territory(region=conference.region), "01001", "Ambérieu", ("01500",))
    commitments = [
        commitment(parties[0], sectors[0], {jobs: (120, 30), invest: ("1500000.50", 0)},
                   extra=[support("state", "250000"), site(commune, "12.5")]),
        commitment(parties[1], sectors[0], {jobs: (200, 0)}),
        commitment(parties[1], sectors[1], {jobs: (80, 20)}, extra=[support("bpifrance", "90000")]),
    ]
    plenary = Meeting(conference_id=conference.id, kind="plenary", title="Plénière de clôture",
                      starts_dt=datetime(2027, 6, 1, 9, tzinfo=timezone.utc), chair_id=presidency.id, state="open")
    db.session.add(plenary)
    db.session.flush()
    return Scenario(conference, presidency, secretariat, parties, heads, sectors, by_code, plenary, commitments)


def decide(scenario: Scenario, item, outcome="adopted", number=None, text="Adopté"):
    """Record the plenary's decision on an item and send the signal, as the negotiation does."""
    count = db.session.scalar(db.select(db.func.count(Decision.id)).filter_by(conference_id=scenario.conference.id))
    decision = Decision(conference_id=scenario.conference.id, number=number or count + 1, meeting_id=item.meeting_id,
                        agenda_item_id=item.id, mode="consensus" if outcome == "adopted" else "taken_note",
                        outcome=outcome, text=text, chair_id=scenario.presidency.id)
    db.session.add(decision)
    db.session.flush()
    decision_adopted.send(decision)
    return decision
