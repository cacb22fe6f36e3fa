"""The content of a draft as typed in a form or read from a CSV file, and its checks."""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from cop.commitments.models import FUNDERS, SITE_KINDS, SITE_STATUSES
from cop.errors import Said

YEARS = range(1990, 2101)


@dataclass
class PledgeInput:
    """One quantified line: an indicator code and its values."""

    indicator: str
    reference_year: int
    reference_value: Decimal
    target_year: int
    unconditional: Decimal
    conditional: Decimal = Decimal(0)
    #: The registry's project the line is about (its values are then the project's), and the party's share in %.
    project_id: Optional[int] = None
    share: Decimal = Decimal(100)


@dataclass
class SupportInput:
    """A support request and the indicator codes of the pledges it conditions."""

    funder: str
    amount: Decimal
    purpose: str
    indicators: list[str] = field(default_factory=list)


@dataclass
class SiteInput:
    """A site named by its commune's INSEE code."""

    name: str
    commune_code: str
    hectares: Decimal
    kind: str
    status: str = "identified"


@dataclass
class DraftInput:
    """Everything a draft holds."""

    reference_year: int
    target_year: int
    texts: dict[str, str] = field(default_factory=dict)
    pledges: list[PledgeInput] = field(default_factory=list)
    supports: list[SupportInput] = field(default_factory=list)
    sites: list[SiteInput] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)


@dataclass
class Problem:
    """One thing wrong with a draft; `ref` names the line ("pledge", 0) when there is one."""

    message: Said
    ref: Optional[tuple[str, int]] = None
    #: The form field a problem of no line belongs beside (the frame's years by default).
    beside: str = "target_year"


def _check_pledge(index: int, pledge: PledgeInput, indicators: set[str]) -> list[Problem]:
    """Problems of one pledge taken alone."""
    ref, out = ("pledge", index), []
    if pledge.indicator not in indicators:
        out.append(Problem(Said("l’indicateur « %(code)s » n’est pas dans le catalogue", code=pledge.indicator), ref))
    if pledge.reference_year not in YEARS or pledge.target_year not in YEARS:
        out.append(Problem(Said("les années doivent être comprises entre 1990 et 2100"), ref))
    elif pledge.target_year < pledge.reference_year:
        out.append(Problem(Said("l’année cible précède l’année de référence"), ref))
    values = (pledge.reference_value, pledge.unconditional, pledge.conditional)
    if any(value < 0 for value in values):
        out.append(Problem(Said("les valeurs ne peuvent pas être négatives"), ref))
    if not Decimal(0) < pledge.share <= Decimal(100):
        out.append(Problem(Said("la part déclarée d’un projet est comprise entre 0 et 100 %"), ref))
    elif pledge.project_id is None and pledge.share != Decimal(100):
        out.append(Problem(Said("une part inférieure à 100 % suppose un projet du registre"), ref))
    return out


def _check_supports(data: DraftInput) -> list[Problem]:
    """Support requests are complete, and every conditional value has at least one."""
    out, pledged = [], {p.indicator for p in data.pledges}
    for index, support in enumerate(data.supports):
        ref = ("support", index)
        if support.funder not in FUNDERS:
            out.append(Problem(Said("financeur inconnu : « %(funder)s »", funder=support.funder), ref))
        if support.amount <= 0:
            out.append(Problem(Said("le montant d’une demande d’appui doit être positif"), ref))
        if not support.purpose.strip():
            out.append(Problem(Said("l’objet de la demande d’appui est obligatoire"), ref))
        for code in support.indicators:
            if code not in pledged:
                out.append(Problem(Said("la demande d’appui vise l’indicateur « %(code)s », absent des cibles",
                                        code=code), ref))
    conditioned = {code for support in data.supports for code in support.indicators}
    for index, pledge in enumerate(data.pledges):
        if pledge.conditional > 0 and pledge.indicator not in conditioned:
            out.append(Problem(Said("une valeur conditionnelle exige au moins une demande d’appui qui la vise"),
                               ("pledge", index)))
    return out


def _check_sites(data: DraftInput, communes: set[str]) -> list[Problem]:
    """Sites name a known commune, a positive area and known kinds."""
    out = []
    for index, site in enumerate(data.sites):
        ref = ("site", index)
        if not site.name.strip():
            out.append(Problem(Said("le nom du site est obligatoire"), ref))
        if site.commune_code not in communes:
            out.append(Problem(Said("commune inconnue : « %(code)s »", code=site.commune_code), ref))
        if site.hectares <= 0:
            out.append(Problem(Said("la surface d’un site doit être positive"), ref))
        if site.kind not in SITE_KINDS or site.status not in SITE_STATUSES:
            out.append(Problem(Said("type ou état de site inconnu"), ref))
    return out


def check_draft(data: DraftInput, indicators: set[str], communes: set[str]) -> list[Problem]:
    """Every problem of a draft: years, catalogue, signs, support requests, sites."""
    out = []
    if data.reference_year not in YEARS or data.target_year not in YEARS:
        out.append(Problem(Said("les années doivent être comprises entre 1990 et 2100")))
    elif data.target_year < data.reference_year:
        out.append(Problem(Said("l’année cible précède l’année de référence")))
    seen = set()
    for index, pledge in enumerate(data.pledges):
        out.extend(_check_pledge(index, pledge, indicators))
        if pledge.indicator in seen:
            out.append(Problem(Said("l’indicateur « %(code)s » figure deux fois", code=pledge.indicator),
                               ("pledge", index)))
        seen.add(pledge.indicator)
    out.extend(_check_supports(data))
    out.extend(_check_sites(data, communes))
    return out
