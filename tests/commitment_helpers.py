"""Shared builders for the commitments tests: a COP with two EPCI parties, and filed commitments."""
from dataclasses import dataclass
from decimal import Decimal

from cop.commitments import services, submission
from cop.commitments.inputs import DraftInput, PledgeInput, SiteInput, SupportInput
from cop.commitments.labels import TEXT_FIELDS
from cop.commitments.models import Commitment
from cop.db import db

TEXTS = {name: f"Texte « {name} » de l’engagement." for name in TEXT_FIELDS if name != "justification"}


@dataclass
class World:
    """A COP in its call for commitments, with its people."""

    conference: object
    sectors: dict
    indicators: dict
    a: object            # party A (EPCI)
    b: object            # party B (EPCI)
    head_a: object
    delegate_a: object   # allowed to file
    assistant_a: object  # delegate not allowed to file
    head_b: object
    presidency: object
    observer: object
    commune_a: object


def build_world(make, phase: str = "call_for_commitments", **conference_kw) -> World:
    """Reference data, a COP, two EPCI parties and one member of each role."""
    sectors, indicators = make.reference()
    region = make.region()
    conference = make.conference(region, phase=phase, **conference_kw)
    epci_a = make.territory(region=region, name="CA du Bassin A", population=120_000)
    epci_b = make.territory(region=region, name="CC du Val B", population=30_000)
    a, b = make.party(conference, epci_a), make.party(conference, epci_b)
    world = World(
        conference=conference, sectors={s.code: s for s in sectors}, indicators={i.code: i for i in indicators},
        a=a, b=b,
        head_a=make.member(conference, "head_of_delegation", a, make.user(email="chef.a@example.fr")),
        delegate_a=make.member(conference, "delegate", a, make.user(email="delegue.a@example.fr"), may_file=True),
        assistant_a=make.member(conference, "delegate", a, make.user(email="assistant.a@example.fr")),
        head_b=make.member(conference, "head_of_delegation", b, make.user(email="chef.b@example.fr")),
        presidency=make.member(conference, "presidency", None, make.user(email="presidence@example.fr")),
        observer=make.member(conference, "observer", None, make.user(email="observateur@example.fr")),
        commune_a=make.commune(epci_a, "69123", "Lyon", ("69001",)),
    )
    db.session.flush()
    return world


def draft_input(unconditional="100", conditional="0", indicator="jobs-created", support=None, sites=(),
                **texts) -> DraftInput:
    """A complete draft with one pledge (and a support request when there is a conditional part)."""
    supports = []
    if support or Decimal(conditional) > 0:
        supports = [support or SupportInput("bpifrance", Decimal("500000"), "Modernisation", [indicator])]
    return DraftInput(
        reference_year=2025, target_year=2030, texts={**TEXTS, **texts},
        pledges=[PledgeInput(indicator, 2025, Decimal(0), 2030, Decimal(unconditional), Decimal(conditional))],
        supports=supports, sites=list(sites),
    )


def file(world: World, party, sector_code: str, data: DraftInput, accept: bool = True, user=None) -> Commitment:
    """Declare the priority if needed, start or reopen the commitment, save, submit and (by default) accept."""
    user = user or (world.head_a if party is world.a else world.head_b)
    sector = world.sectors[sector_code]
    commitment = db.session.scalar(db.select(Commitment).filter_by(party_id=party.id, sector_id=sector.id))
    if commitment is None:
        services.declare_priority(user, party, sector, "Un tissu industriel dense.")
        commitment = services.start_commitment(user, party, sector)
    else:
        services.open_draft(user, commitment)
    services.save_draft(user, commitment, commitment.version, data)
    version = submission.submit(user, commitment, commitment.version)
    if accept:
        submission.review(world.presidency, version, True, "")
    db.session.flush()
    return commitment


def site(name: str = "Friche Vallourec", commune: str = "69123", hectares: str = "12.5") -> SiteInput:
    """A brownfield site."""
    return SiteInput(name, commune, Decimal(hectares), "brownfield", "identified")
