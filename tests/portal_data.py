"""A small published dataset for the portal, open data, API and browser tests (the caller commits)."""
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

from cop.commitments.models import Commitment, CommitmentVersion, PartyPrioritySector, Pledge, Site, SupportRequest
from cop.db import db
from tests import factories as make

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
WHEN = datetime(2027, 3, 1, 9, 30, tzinfo=timezone.utc)


@dataclass
class Portal:
    """What build() made, for assertions."""

    conference: object
    epci: object
    other_epci: object
    party: object
    accepted: object
    stepped: object
    draft_only: object
    sectors: list
    indicators: list


def version(commitment, number: int, status: str, unconditional: int, conditional: int = 0, **texts):
    """A version of a commitment with one pledge on the first indicator."""
    item = CommitmentVersion(commitment_id=commitment.id, number=number, status=status, reference_year=2024,
                             target_year=2030, scope=texts.pop("scope", "Périmètre de l’engagement."),
                             actions=texts.pop("actions", "Réhabiliter la friche **Vallourec** et former."),
                             assumptions_method="Méthode.", local_preparation="Consultation.",
                             fairness_ambition="Juste.", regional_contribution="Contribue.",
                             submitted_dt=None if status == "draft" else WHEN, **texts)
    db.session.add(item)
    db.session.flush()
    indicator = texts.get("indicator") or _INDICATORS[0]
    db.session.add(Pledge(version_id=item.id, indicator_id=indicator.id, reference_year=2024, reference_value=0,
                          target_year=2030, unconditional_value=Decimal(unconditional),
                          conditional_value=Decimal(conditional)))
    db.session.flush()
    return item


_INDICATORS: list = []


def commitment(conference, party, sector, status: str) -> Commitment:
    """A commitment row (its versions are added separately)."""
    item = Commitment(conference_id=conference.id, party_id=party.id, sector_id=sector.id, status=status)
    db.session.add(item)
    db.session.flush()
    return item


def build() -> Portal:
    """Two regions, an AURA COP with three EPCI parties, commitments in every state, a hostile party name."""
    sectors, indicators = make.reference()
    _INDICATORS[:] = indicators
    region = make.region()
    make.region("53", "Bretagne", 3_400_000)
    conference = make.conference(region, phase="call_for_commitments", commitments_due_on=date(2027, 4, 1))
    epci = make.territory(code="200046977", name="Métropole de Lyon", population=1_400_000, region=region,
                          legal_form="METRO")
    other = make.territory(code="200040715", name="Grenoble-Alpes-Métropole", population=450_000, region=region)
    hostile = make.territory(code="200000001", name=HOSTILE, population=1000, region=region)
    make.commune(epci, "69123", "Lyon", ("69001", "69002"), population=520_000)
    make.commune(epci, "69266", "Villeurbanne", ("69100",), population=150_000)
    make.commune(other, "38185", "Grenoble", ("38000", "38100"), population=158_000)
    make.commune(other, "38421", "Saint-Égrève", ("38120",), population=16_000)
    make.commune(epci, "69259", "Saint-Genis-Laval", ("69230",), population=21_000)
    party = make.party(conference, epci)
    other_party = make.party(conference, other)
    hostile_party = make.party(conference, hostile)
    make.target(conference, sectors[0], indicators[0], 1000)
    db.session.add(PartyPrioritySector(party_id=party.id, sector_id=sectors[0].id,
                                       reason="Un tissu aéronautique dense."))
    accepted = commitment(conference, party, sectors[0], "accepted")
    version(accepted, 1, "accepted", 400, 100)
    stepped = commitment(conference, other_party, sectors[0], "submitted")
    version(stepped, 1, "accepted", 300)
    v2 = version(stepped, 2, "submitted", 200, is_step_back=True, justification="Fermeture d’un site.",
                 actions="Hydrogène vert et électrolyseurs.")
    db.session.add(SupportRequest(version_id=v2.id, funder="bpifrance", amount=Decimal(250000), purpose="=1+1"))
    db.session.add(Site(version_id=v2.id, name="Friche des Moulins", commune_id=_commune_id("38185"),
                        hectares=Decimal("12.5"), kind="brownfield"))
    hostile_commitment = commitment(conference, hostile_party, sectors[1], "submitted")
    version(hostile_commitment, 1, "submitted", 10, actions=f"[clic](javascript:alert(1)) {HOSTILE}",
            scope="=HYPERLINK(\"http://evil\")")
    meeting = _meetings(conference, other_party)
    _outcomes(conference, meeting, party, accepted)
    draft_only = commitment(conference, other_party, sectors[2], "draft")
    version(draft_only, 1, "draft", 999, actions="Secret brouillon confidentiel.")
    db.session.flush()
    return Portal(conference, epci, other, party, accepted, stepped, draft_only, sectors, indicators)


def _commune_id(code: str) -> int:
    """A commune's id by INSEE code."""
    from cop.territories.models import Commune

    return db.session.scalar(db.select(Commune.id).filter_by(code=code))


def _meetings(conference, party) -> None:
    """A closed public plenary where the party spoke twice, and a private meeting nobody outside may see."""
    from cop.meetings.models import FloorRequest, Meeting

    chair = make.user(name="Claire Vasseur")
    public = Meeting(conference_id=conference.id, kind="plenary", title="Plénière d’ouverture", chair_id=chair.id,
                     starts_dt=WHEN, is_public=True, state="closed")
    private = Meeting(conference_id=conference.id, kind="informal", title="Consultation restreinte",
                      chair_id=chair.id, starts_dt=WHEN, is_public=False, state="closed")
    db.session.add_all([public, private])
    db.session.flush()
    for meeting, seconds in ((public, 95.0), (public, 30.0), (private, 400.0)):
        db.session.add(FloorRequest(meeting_id=meeting.id, party_id=party.id, user_id=chair.id, state="done",
                                    spoken_seconds=seconds))
    db.session.flush()
    return public


def _outcomes(conference, meeting, party, accepted) -> None:
    """A decision, an adopted roadmap version signed by a party and a later draft, and a progress report."""
    from cop.followup.models import ProgressReport
    from cop.meetings.models import AgendaItem
    from cop.negotiation.decisions.models import Decision
    from cop.roadmap.models import Roadmap, RoadmapVersion, Signature

    item = AgendaItem(meeting_id=meeting.id, position=1, title="Adoption de la feuille de route", state="done")
    roadmap = Roadmap(conference_id=conference.id)
    db.session.add_all([item, roadmap])
    db.session.flush()
    db.session.add(Decision(conference_id=conference.id, number=1, meeting_id=meeting.id, agenda_item_id=item.id,
                            mode="consensus", outcome="adopted", text="=La feuille de route est adoptée."))
    adopted = RoadmapVersion(roadmap_id=roadmap.id, number=1, state="adopted", content={}, sha256="a" * 64,
                             adopted_dt=WHEN, decision_reference="Décision 1/COP")
    draft = RoadmapVersion(roadmap_id=roadmap.id, number=2, state="draft", content={"secret": "brouillon"})
    db.session.add_all([adopted, draft])
    db.session.flush()
    chair = meeting.chair_id
    db.session.add(Signature(version_id=adopted.id, party_id=party.id, user_id=chair, sha256="a" * 64))
    pledge = accepted.versions[0].pledges[0]
    db.session.add(ProgressReport(conference_id=conference.id, party_id=party.id, commitment_id=accepted.id,
                                  indicator_id=pledge.indicator_id, pledge_id=pledge.id, year=2028,
                                  achieved_value=Decimal("120.5"), reported_by_id=chair))
    db.session.flush()
    _contract(conference, party, accepted, chair)


def _contract(conference, party, accepted, user_id) -> None:
    """A signed contract of the party, with a milestone, its act and a disbursement (what the API publishes)."""
    from cop.contracts import document
    from cop.contracts.models import (Contract, ContractMilestone, ContractSignature, ContractSignatureAct,
                                      Disbursement)

    milestone = document.milestone_of(1, "Ligne pilote", date(2028, 6, 30), Decimal("1500.50"))
    content = document.plain({
        "territory": {"party": party.id, "name": party.name, "code": "200046977"},
        "sector": {"code": accepted.sector.code, "name": accepted.sector.name_fr},
        "pledges": [], "support": [{"funder": "bpifrance", "funder_party": party.id, "granted": Decimal(5000)}],
        "granted_total": Decimal(5000), "milestones": [milestone],
        "signatories": [{"role": "territory", "party": party.id, "name": party.name}]})
    contract = Contract(conference_id=conference.id, number=1, party_id=party.id, sector_id=accepted.sector_id,
                        commitment_version_id=accepted.versions[0].id, state="signed", content=content,
                        generated_dt=WHEN, generated_by_id=user_id, canonical_json="", sha256="")
    db.session.add(contract)
    db.session.flush()
    document.freeze(contract)
    row = ContractMilestone(contract_id=contract.id, position=1, label="Ligne pilote", due_on=date(2028, 6, 30),
                            amount=Decimal("1500.50"))
    signature = ContractSignature(contract_id=contract.id, party_id=party.id, role="territory", user_id=user_id,
                                  sha256=contract.sha256, signed_dt=WHEN)
    db.session.add_all([row, signature])
    db.session.flush()
    db.session.add_all([
        ContractSignatureAct(signature_id=signature.id, kind="deliberation", number="DEL-1", adopted_on=WHEN.date(),
                             body="Conseil", filename="del.pdf", pdf=b"%PDF-1.4\n%%EOF", size=14, sha256="b" * 64),
        Disbursement(milestone_id=row.id, amount=Decimal("500.25"), paid_on=date(2028, 7, 1), party_id=party.id,
                     recorded_by_id=user_id)])
    db.session.flush()
