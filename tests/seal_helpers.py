"""Builders for the seal tests: a commitment sealed before filing then filed and accepted through the real
services, and a registry site sealed at registration — each carrying a marker in every hidden field."""
from datetime import date
from decimal import Decimal

from cop.commitments import services, submission
from cop.commitments.inputs import DraftInput, PledgeInput, SiteInput, SupportInput
from cop.commitments.labels import TEXT_FIELDS
from cop.commitments.models import Commitment
from cop.db import db
from cop.seals import operations as seals
from cop.sites import operations as site_operations
from cop.sites.models import SiteStatus

FAR = date(2099, 1, 1)


def sealed_draft(marker: str, indicator: str = "jobs-created", value: str = "250", commune: str = "01001",
                 conditional: str = "50") -> DraftInput:
    """A complete draft whose every free text, support purpose and site names the marker."""
    texts = {name: f"{name} {marker}" for name in TEXT_FIELDS if name != "justification"}
    return DraftInput(
        reference_year=2025, target_year=2030, texts=texts,
        pledges=[PledgeInput(indicator, 2025, Decimal(0), 2030, Decimal(value), Decimal(conditional))],
        supports=[SupportInput("bpifrance", Decimal("750000"), f"Ligne {marker}", [indicator])],
        sites=[SiteInput(f"Friche {marker}", commune, Decimal("7.5"), "brownfield", "identified")])


def sealed_commitment(head, party, sector, presidency, marker: str, accept: bool = True, **draft) -> Commitment:
    """Declare the priority, start the commitment, seal it, fill, submit and (by default) accept it."""
    services.declare_priority(head, party, sector, "Un tissu industriel dense.")
    commitment = services.start_commitment(head, party, sector)
    seals.seal(head, commitment, "L’industriel annonce lui-même son projet.", FAR)
    services.save_draft(head, commitment, commitment.version, sealed_draft(marker, **draft))
    version = submission.submit(head, commitment, commitment.version)
    if accept:
        submission.review(presidency, version, True, "")
    db.session.flush()
    return commitment


def sealed_site(presidency, conference, commune, marker: str):
    """A registry site registered sealed by the presidency: its name, owner and description name the marker."""
    data = site_operations.SiteInput(name=f"Site {marker}", commune=commune, hectares=Decimal("42"),
                                     status=SiteStatus.READY.value, owner=f"Propriétaire {marker}",
                                     power_mw=Decimal("12"), rail_access=True,
                                     description=f"Description {marker}")
    return site_operations.register(presidency, conference, data, sealed=True,
                                    reason="Le propriétaire négocie encore la cession.", announce_on=FAR)
