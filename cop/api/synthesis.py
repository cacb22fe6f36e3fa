"""GET /api/v1/conferences/<id>/synthesis: the secretariat's synthesis, row by row."""
from flask import jsonify

from cop import loaders
from cop.api import bp, serialize
from cop.commitments import synthesis
from cop.public.cache import filing_only


def _row(row) -> dict:
    """One filière × indicator line; `conditional` includes the unconditional part."""
    return {
        "sector": row.sector.code, "indicator": row.indicator.code, "unit": row.indicator.unit,
        "target": serialize.num(row.target), "target_year": row.target_year,
        "unconditional": serialize.num(row.unconditional), "conditional": serialize.num(row.conditional),
        "gap_unconditional": serialize.num(row.gap_unconditional),
        "gap_conditional": serialize.num(row.gap_conditional), "parties": row.parties,
        "double_counting_avoided": serialize.num(row.avoided),
    }


@bp.get("/conferences/<int:conference_id>/synthesis")
@filing_only
def conference_synthesis(conference_id: int):
    """The synthesis of a COP: rows, coverage, support by funder and flags."""
    conference = loaders.get_conference(conference_id)
    result = synthesis.compute(conference)
    flags = result.flags
    return jsonify({
        "conference": {"id": conference.id, "code": conference.code, "title": conference.title,
                       "phase": conference.phase, "horizon_year": conference.horizon_year},
        "basis": "latest accepted version of each commitment not withdrawn",
        "rows": [_row(row) for row in result.rows],
        "coverage": result.coverage,
        "support_by_funder": [{**s, "amount": serialize.num(s["amount"])} for s in result.support],
        "flags": {"sectors_without_commitment": flags.uncovered_sectors, "parties_without_commitment":
                  flags.silent_parties, "sites_claimed_twice": flags.shared_sites,
                  "pledges_after_horizon": flags.late_pledges, "step_backs": flags.step_backs,
                  "likely_double_counts": flags.double_counts},
    })
