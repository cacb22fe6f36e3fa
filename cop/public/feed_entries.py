"""The entries of the Atom feeds, each a dict: url, title, published, updated, summary (Markdown)."""
from datetime import datetime, timezone

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cop.commitments.labels import status as status_label
from cop.commitments.models import Commitment, CommitmentVersion
from cop.conferences.models import Party
from cop.db import db
from cop.negotiation.decisions.models import Decision
from cop.roadmap.models import FROZEN_STATES, Roadmap, RoadmapVersion

LIMIT = 50
OUTCOMES = {"adopted": "adoptée", "noted": "prend acte"}


def commitment_versions(condition) -> list[dict]:
    """New and revised commitments matching a condition, newest first (drafts never)."""
    query = (
        select(CommitmentVersion).join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
        .join(Party, Party.id == Commitment.party_id)
        .where(condition, CommitmentVersion.status != "draft", CommitmentVersion.submitted_dt.is_not(None))
        .order_by(func.coalesce(CommitmentVersion.reviewed_dt, CommitmentVersion.submitted_dt).desc(),
                  CommitmentVersion.id.desc()).limit(LIMIT)
        .options(selectinload(CommitmentVersion.commitment).selectinload(Commitment.party),
                 selectinload(CommitmentVersion.commitment).selectinload(Commitment.sector)))
    return [_version(v) for v in db.session.scalars(query)]


def _version(v: CommitmentVersion) -> dict:
    """One commitment version as an entry."""
    c = v.commitment
    kind = "nouvel engagement" if v.number == 1 else f"révision (version {v.number})"
    step_back = ", en recul" if v.is_step_back else ""
    return {"url": url_for("commitments.version", conference_id=c.conference_id, commitment_id=c.id,
                           number=v.number, _external=True),
            "title": f"{c.party.name} — {c.sector.name} : {kind}, {status_label(v.status).lower()}{step_back}",
            "published": v.submitted_dt, "updated": v.reviewed_dt or v.submitted_dt, "summary": v.actions}


def outcomes(conference_id: int) -> list[dict]:
    """A COP's decisions and adopted roadmap versions, newest first."""
    decisions = db.session.scalars(select(Decision).where(Decision.conference_id == conference_id)
                                   .order_by(Decision.created_dt.desc()).limit(LIMIT))
    versions = db.session.scalars(
        select(RoadmapVersion).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
        .where(Roadmap.conference_id == conference_id, RoadmapVersion.state.in_(FROZEN_STATES))
        .order_by(RoadmapVersion.adopted_dt.desc()).limit(LIMIT))
    page = url_for("public.conference", conference_id=conference_id, _external=True)
    entries = [{"url": f"{page}#decision-{d.number}",
                "title": f"Décision {d.number} : {OUTCOMES.get(d.outcome, d.outcome)}",
                "published": d.created_dt, "updated": d.created_dt, "summary": d.text} for d in decisions]
    entries += [{"url": url_for("roadmap.download_json", conference_id=conference_id, number=v.number, _external=True),
                 "title": f"Feuille de route, version {v.number} adoptée ({v.decision_reference})",
                 "published": v.adopted_dt, "updated": v.superseded_dt or v.adopted_dt,
                 "summary": f"Empreinte SHA-256 : `{v.sha256}`"} for v in versions]
    return sorted(entries, key=lambda e: _aware(e["updated"]), reverse=True)[:LIMIT]


def _aware(value: datetime) -> datetime:
    """A timestamp with its time zone, to compare (naive ones are UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
