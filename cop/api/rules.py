"""GET /api/v1/conferences/<id>/rules: the rules of procedure in force and every version, with its decision."""
from flask import jsonify

from cop.api import bp
from cop.conferences import procedure
from cop.conferences.models import Conference, RulesVersion
from cop.db import db
from cop.errors import NotFound


def _at(moment) -> str | None:
    """A datetime as ISO 8601, or None."""
    return moment.isoformat() if moment else None


def _version(version: RulesVersion) -> dict:
    """One version: its number, state, dates, the rules and the decision that adopted it (if any)."""
    decision = version.decision
    return {"number": version.number, "state": version.state, "phase": version.phase, "rules": version.rules,
            "proposed_at": _at(version.proposed_dt), "in_force_at": _at(version.in_force_dt),
            "decision": {"number": decision.number, "reference": decision.reference,
                         "meeting": decision.meeting.title} if decision else None}


@bp.get("/conferences/<int:conference_id>/rules")
def conference_rules(conference_id: int):
    """The rules in force and their history, newest version last."""
    item = db.session.get(Conference, conference_id) if conference_id <= 2**31 - 1 else None
    if item is None:
        raise NotFound("Cette COP n’existe pas.")
    return jsonify({"in_force": procedure.rules_of(item), "versions": [_version(v) for v in procedure.versions(item)]})
