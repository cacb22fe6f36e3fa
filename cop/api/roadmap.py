"""GET /api/v1/conferences/<id>/roadmap/versions: the roadmap versions the public reads (submitted to the plenary,
adopted, superseded), each with its SHA-256 (frozen ones) and the parties' signatures of that hash."""
from flask import jsonify, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.roadmap.models import Roadmap, RoadmapVersion, Signature
from cop.roadmap.views import PUBLIC_STATES


def _version(version: RoadmapVersion) -> dict:
    """A public version: state, dates, decision, hash, its downloads and its signatures."""
    conference_id = version.roadmap.conference_id
    return {
        "number": version.number, "state": version.state,
        "generated_at": serialize.when(version.generated_dt), "submitted_at": serialize.when(version.submitted_dt),
        "adopted_at": serialize.when(version.adopted_dt), "decision_reference": version.decision_reference,
        "sha256": version.sha256,
        "json_url": url_for("roadmap.download_json", conference_id=conference_id, number=version.number,
                            _external=True),
        "signatures": [{"party": serialize.party(s.party), "sha256": s.sha256, "signed_at": serialize.when(s.signed_dt),
                        "matches": s.sha256 == version.sha256} for s in version.signatures],
    }


@bp.get("/conferences/<int:conference_id>/roadmap/versions")
def conference_roadmap_versions(conference_id: int):
    """One page of the public roadmap versions of a COP, oldest first."""
    conference = loaders.get_conference(conference_id)
    query = (select(RoadmapVersion).join(Roadmap, Roadmap.id == RoadmapVersion.roadmap_id)
             .where(Roadmap.conference_id == conference.id, RoadmapVersion.state.in_(PUBLIC_STATES))
             .options(selectinload(RoadmapVersion.signatures).joinedload(Signature.party))
             .order_by(RoadmapVersion.number))
    return jsonify(paginate(query, _version, conference_id=conference.id))
