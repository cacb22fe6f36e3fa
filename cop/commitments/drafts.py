"""Reading and writing the content of versions: the draft, the baseline, snapshots, checks."""
from decimal import Decimal
from typing import Optional

from sqlalchemy.orm.exc import StaleDataError

from cop.commitments.inputs import DraftInput, PledgeInput, Problem, SiteInput, SupportInput, check_draft
from cop.commitments.labels import TEXT_FIELDS
from cop.commitments.models import BASELINE_STATUSES, Commitment, CommitmentVersion, Pledge, Site, SupportRequest
from cop.conferences.models import Party
from cop.db import db
from cop.errors import Conflict, Invalid, Joined, N_, Said
from cop.projects.models import Project
from cop.reference.models import Indicator
from cop.territories.models import Commune


class InvalidDraft(Invalid):
    """A draft with problems; `problems` lists each of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(N_("Engagement non enregistré : %(problems)s."),
                         problems=Joined(p.message for p in problems))
        self.problems = problems


def current_draft(commitment: Commitment) -> Optional[CommitmentVersion]:
    """The open draft (always the last version), or None."""
    versions = commitment.versions
    return versions[-1] if versions and versions[-1].status == "draft" else None


def baseline(commitment: Commitment, before: Optional[int] = None) -> Optional[CommitmentVersion]:
    """The latest version a new one is compared with: submitted, accepted or withdrawn (not returned)."""
    for version in reversed(commitment.versions):
        if version.status in BASELINE_STATUSES and (before is None or version.number < before):
            return version
    return None


def public_versions(commitment: Commitment) -> list[CommitmentVersion]:
    """Every version but the draft, oldest first."""
    return [version for version in commitment.versions if version.is_public]


def snapshot(version: CommitmentVersion, keep_justification: bool = True) -> DraftInput:
    """The content of a version as an input (to copy it into a new draft or compare it)."""
    texts = {name: getattr(version, name) for name in TEXT_FIELDS}
    if not keep_justification:
        texts["justification"] = ""
    return DraftInput(
        reference_year=version.reference_year, target_year=version.target_year, texts=texts,
        pledges=[PledgeInput(p.indicator.code, p.reference_year, p.reference_value, p.target_year,
                             p.unconditional_value, p.conditional_value, p.project_id, p.project_share)
                 for p in version.pledges],
        supports=[SupportInput(s.funder, s.amount, s.purpose, [p.indicator.code for p in s.pledges])
                  for s in version.support_requests],
        sites=[SiteInput(s.name, s.commune.code, s.hectares, s.kind, s.status) for s in version.sites],
        partner_ids=[party.id for party in version.partners],
    )


def differences(old: DraftInput, new: DraftInput) -> list[str]:
    """The names of the fields whose content differs between two inputs."""
    changed = [name for name in ("reference_year", "target_year") if getattr(old, name) != getattr(new, name)]
    changed += [name for name in TEXT_FIELDS if (old.texts.get(name) or "") != (new.texts.get(name) or "")]
    for name in ("pledges", "supports", "sites"):
        if _normal(getattr(old, name)) != _normal(getattr(new, name)):
            changed.append(name)
    if sorted(old.partner_ids) != sorted(new.partner_ids):
        changed.append("partners")
    return changed


def _normal(rows: list) -> list:
    """Rows as comparable tuples (Decimal("1.00") equals Decimal("1"))."""
    return [tuple(Decimal(v).normalize() if isinstance(v, Decimal) else v for v in vars(row).values())
            for row in rows]


def validate(data: DraftInput, party: Party) -> None:
    """Raise InvalidDraft listing every problem of the input."""
    codes = {p.indicator for p in data.pledges}
    known = set(db.session.scalars(db.select(Indicator.code).where(Indicator.code.in_(codes)))) if codes else set()
    towns = {s.commune_code for s in data.sites}
    found = set(db.session.scalars(db.select(Commune.code).where(Commune.code.in_(towns)))) if towns else set()
    problems = check_draft(data, known, found)
    if data.partner_ids:
        allowed = set(db.session.scalars(db.select(Party.id).where(
            Party.conference_id == party.conference_id, Party.id.in_(data.partner_ids), Party.id != party.id)))
        if allowed != set(data.partner_ids):
            problems.append(Problem(Said("un partenaire n’est pas une autre partie de cette COP"), beside="partners"))
    problems.extend(_check_projects(data, party))
    if problems:
        raise InvalidDraft(problems)


def _check_projects(data: DraftInput, party: Party) -> list[Problem]:
    """Every project a line names is in this COP's registry."""
    named = {p.project_id for p in data.pledges if p.project_id is not None}
    if not named:
        return []
    known = set(db.session.scalars(db.select(Project.id).where(
        Project.conference_id == party.conference_id, Project.id.in_(named))))
    return [Problem(Said("le projet choisi n’est pas inscrit au registre de cette COP"), ("pledge", index))
            for index, p in enumerate(data.pledges) if p.project_id is not None and p.project_id not in known]


def write(draft: CommitmentVersion, data: DraftInput, party: Party) -> None:
    """Replace the draft's fields, pledges, support requests, sites and partners with the input."""
    draft.reference_year, draft.target_year = data.reference_year, data.target_year
    for name in TEXT_FIELDS:
        setattr(draft, name, (data.texts.get(name) or "").strip())
    draft.pledges.clear(), draft.support_requests.clear(), draft.sites.clear()
    db.session.flush()
    indicators = {i.code: i for i in db.session.scalars(db.select(Indicator))}
    by_code = {}
    for position, p in enumerate(data.pledges):
        by_code[p.indicator] = Pledge(indicator=indicators[p.indicator], position=position,
                                      reference_year=p.reference_year, reference_value=p.reference_value,
                                      target_year=p.target_year, unconditional_value=p.unconditional,
                                      conditional_value=p.conditional, project_id=p.project_id,
                                      project_share=p.share)
        draft.pledges.append(by_code[p.indicator])
    for position, s in enumerate(data.supports):
        draft.support_requests.append(SupportRequest(
            position=position, funder=s.funder, amount=s.amount, purpose=s.purpose.strip(),
            pledges=[by_code[code] for code in dict.fromkeys(s.indicators)]))
    towns = {s.commune_code for s in data.sites}
    communes = {c.code: c for c in db.session.scalars(db.select(Commune).where(Commune.code.in_(towns)))}
    for position, s in enumerate(data.sites):
        draft.sites.append(Site(position=position, name=s.name.strip(), commune=communes[s.commune_code],
                                hectares=s.hectares, kind=s.kind, status=s.status))
    draft.partners = list(db.session.scalars(db.select(Party).where(Party.id.in_(data.partner_ids))))


def flush() -> None:
    """Flush, turning a concurrent update of the same commitment into a conflict."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("L’engagement a été modifié au même moment par une autre personne : rechargez la page.") \
            from None
