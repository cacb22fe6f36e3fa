"""GET /api/v1/conferences/<id>/commitments[/<id>]: filed commitments and their public versions."""
from flask import jsonify, request, url_for
from sqlalchemy import select

from cop import loaders
from cop.projects import queries as project_queries
from cop.api import bp, serialize
from cop.api.pagination import paginate_rows
from cop.commitments import queries
from cop.commitments.drafts import public_versions
from cop.commitments.labels import TEXT_FIELDS
from cop.commitments.models import STATUSES, Commitment, CommitmentVersion
from cop.conferences.models import Party
from cop.db import db
from cop.reference.models import Sector, reader_name
from cop.territories.models import Territory
from cop.errors import Invalid, NotFound
from cop.public.cache import filing_only


def _summary(commitment) -> dict:
    """A commitment in a list: who, which filière, where it stands."""
    latest = queries.latest_public(commitment)
    return _line(commitment.id, commitment.conference_id, commitment.status, serialize.party(commitment.party),
                 serialize.sector(commitment.sector), latest.number, latest.is_step_back, latest.submitted_dt)


def _line(commitment_id: int, conference_id: int, status: str, party: dict, sector: dict, number: int,
          step_back: bool, submitted) -> dict:
    """The summary of a commitment, from its values (the list's rows and the detail's object alike)."""
    return {
        "id": commitment_id,
        "url": url_for("api.commitment", conference_id=conference_id, commitment_id=commitment_id, _external=True),
        "party": party, "sector": sector,
        "status": status, "version": number, "is_step_back": step_back, "submitted_at": serialize.when(submitted),
    }


def _pledge(pledge) -> dict:
    """A pledge; `conditional` is the total with the conditional part, as in the synthesis."""
    return {
        "indicator": serialize.indicator(pledge.indicator),
        "reference_year": pledge.reference_year, "reference_value": serialize.num(pledge.reference_value),
        "target_year": pledge.target_year, "unconditional": serialize.num(pledge.unconditional_value),
        "conditional_part": serialize.num(pledge.conditional_value),
        "conditional": serialize.num(pledge.unconditional_value + pledge.conditional_value),
        "project": project_queries.reference(pledge.project) if pledge.project is not None else None,
        "project_share": serialize.num(pledge.project_share),
    }


def _version(version) -> dict:
    """A public version with everything it holds."""
    return {
        "number": version.number, "status": version.status, "is_step_back": version.is_step_back,
        "submitted_at": serialize.when(version.submitted_dt), "reviewed_at": serialize.when(version.reviewed_dt),
        "review_comment": version.review_comment,
        "reference_year": version.reference_year, "target_year": version.target_year,
        **{name: getattr(version, name) for name in TEXT_FIELDS},
        "pledges": [_pledge(p) for p in version.pledges],
        "support_requests": [{"funder": s.funder, "amount": serialize.num(s.amount), "purpose": s.purpose,
                              "indicators": [p.indicator.code for p in s.pledges]} for s in version.support_requests],
        "sites": [{"name": s.name, "commune": {"code": s.commune.code, "name": s.commune.name},
                   "hectares": serialize.num(s.hectares), "kind": s.kind, "status": s.status} for s in version.sites],
        "partners": [serialize.party(p) for p in version.partners],
    }


@bp.get("/conferences/<int:conference_id>/commitments")
@filing_only
def commitments(conference_id: int):
    """Filed commitments of a COP; filters: party (id), sector (code), status."""
    conference = loaders.get_conference(conference_id)
    status = request.args.get("status")
    if status is not None and (status not in STATUSES or status == "draft"):
        raise Invalid("Statut inconnu : submitted, accepted, returned ou withdrawn.")
    party = request.args.get("party")
    if party is not None and not (party.isdecimal() and int(party) < 2**31):
        raise Invalid("Le paramètre « party » est l’identifiant numérique d’une partie.")
    query = queries.public_commitments(conference, party_id=int(party) if party else None,
                                       sector=request.args.get("sector") or None, status=status)
    # The page's lines as plain rows, their party, territory and filière in the same statement, then the latest
    # public version of each in one more: the same answer as `_summary` gives, without loading 300 ORM objects
    # (what a reader waits for after each acceptance, when the answer is rebuilt).
    rows = (query.with_only_columns(Commitment.id, Commitment.conference_id, Commitment.status, Party.id, Party.name,
                                    Party.kind, Territory.code, Sector.code, Sector.name_fr, Sector.name_en,
                                    maintain_column_froms=True)
            .outerjoin(Territory, Territory.id == Party.territory_id).order_by(Commitment.id))
    return jsonify(paginate_rows(rows, _summaries))


def _summaries(rows: list) -> list[dict]:
    """The summaries of a page of commitments (rows of `commitments`), as `_summary` writes them."""
    latest = {}
    for commitment_id, number, step_back, submitted in db.session.execute(
            select(CommitmentVersion.commitment_id, CommitmentVersion.number, CommitmentVersion.is_step_back,
                   CommitmentVersion.submitted_dt)
            .where(CommitmentVersion.commitment_id.in_([row[0] for row in rows]), CommitmentVersion.status != "draft")
            .order_by(CommitmentVersion.commitment_id, CommitmentVersion.number)):
        latest[commitment_id] = (number, step_back, submitted)  # the last one, by number, stays
    return [_line(commitment_id, conference_id, status, serialize.party_fields(party_id, name, kind, code),
                  serialize.sector_fields(sector, reader_name(name_fr, name_en)), *latest[commitment_id])
            for commitment_id, conference_id, status, party_id, name, kind, code, sector, name_fr, name_en in rows]


@bp.get("/conferences/<int:conference_id>/commitments/<int:commitment_id>")
def commitment(conference_id: int, commitment_id: int):
    """One filed commitment with its public versions (never a draft)."""
    conference = loaders.get_conference(conference_id)
    item = queries.get_commitment(conference, commitment_id, None)
    if item.status == "draft":
        raise NotFound("Cet engagement n’existe pas.")
    return jsonify({**_summary(item), "withdrawal_reason": item.withdrawal_reason, "seal": serialize.seal(item),
                    "versions": [_version(v) for v in public_versions(item)]})
