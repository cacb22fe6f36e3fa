"""GET /api/v1/conferences/<id>/support-answers: funders and budgets, and each support request with its answer."""
from flask import jsonify
from sqlalchemy import select

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.commitments.models import SupportRequest
from cop.commitments.synthesis import basis
from cop.funding import queries


def _answer(answer) -> dict | None:
    """The current answer of a request."""
    if answer is None:
        return None
    return {"status": answer.status, "amount": serialize.num(answer.amount), "reason": answer.reason,
            "answered_on": answer.answered_on.isoformat(),
            "budget": {"programme": answer.budget.programme, "year": answer.budget.year} if answer.budget else None}


@bp.get("/conferences/<int:conference_id>/support-answers")
def conference_support_answers(conference_id: int):
    """One page of the support requests of the accepted commitments, with deadline and answer; the funders."""
    conference = loaders.get_conference(conference_id)
    lines = {line.request.id: line for line in queries.requests(conference.id)}
    funders = queries.funders(conference.id)
    used = queries.committed(b.id for f in funders for b in f.budgets)
    base = basis([conference.id])
    query = (select(SupportRequest).join(base, base.c.version_id == SupportRequest.version_id)
             .order_by(SupportRequest.funder, SupportRequest.id))

    def item(request: SupportRequest) -> dict:
        line = lines[request.id]
        commitment = request.version.commitment
        return {"id": request.id, "commitment_id": commitment.id, "party": serialize.party(commitment.party),
                "sector": commitment.sector.code, "funder": request.funder, "amount": serialize.num(request.amount),
                "purpose": request.purpose, "indicators": [p.indicator.code for p in request.pledges],
                "due_on": line.due_on.isoformat() if line.due_on else None, "answer": _answer(line.answer)}

    page = paginate(query, item, conference_id=conference.id)
    return jsonify({**page, "funders": [
        {"code": f.code, "party": serialize.party(f.party), "answer_days": f.answer_days,
         "budgets": [{"programme": b.programme, "year": b.year, "amount": serialize.num(b.amount),
                      "committed": serialize.num(used.get(b.id, 0)),
                      "remaining": serialize.num(b.amount - used.get(b.id, 0))} for b in f.budgets]}
        for f in funders]})
