"""GET /api/v1/conferences/<id>/contracts[/<number>]: the territories' contracts, their SHA-256, the frozen document,
the signatures (with their acts' hashes), the milestones and what has been disbursed against each."""
from flask import jsonify, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop import loaders
from cop.api import bp, serialize
from cop.api.pagination import paginate
from cop.contracts import queries
from cop.contracts.models import Contract, ContractSignature


def _contract(contract: Contract) -> dict:
    """A contract as published: state, hash, document, signatures, milestones and their disbursements."""
    conference_id, number = contract.conference_id, contract.number
    paid = queries.disbursed_by_milestone([contract.id])
    return {
        "number": number, "state": contract.state,
        "url": url_for("api.conference_contract", conference_id=conference_id, number=number, _external=True),
        "page_url": url_for("contracts.show", conference_id=conference_id, number=number, _external=True),
        "json_url": url_for("contracts.download_json", conference_id=conference_id, number=number, _external=True),
        "party": serialize.party(contract.party), "sector": contract.content["sector"],
        "sha256": contract.sha256, "generated_at": serialize.when(contract.generated_dt),
        "granted_total": serialize.num(contract.content["granted_total"]),
        "document": contract.content,
        "milestones": [{"position": m.position, "label": m.label, "due_on": m.due_on.isoformat(),
                        "amount": serialize.num(m.amount), "disbursed": serialize.num(paid.get(m.id, 0))}
                       for m in contract.milestones],
        "signatures": [{"party": serialize.party(s.party), "role": s.role, "sha256": s.sha256,
                        "signed_at": serialize.when(s.signed_dt), "matches": s.sha256 == contract.sha256,
                        "act": None if s.act is None else {"kind": s.act.kind, "number": s.act.number,
                                                            "adopted_on": s.act.adopted_on.isoformat(),
                                                            "body": s.act.body, "sha256": s.act.sha256}}
                       for s in contract.signatures],
    }


@bp.get("/conferences/<int:conference_id>/contracts")
def conference_contracts(conference_id: int):
    """One page of the COP's contracts, by number."""
    conference = loaders.get_conference(conference_id)
    query = (select(Contract).filter_by(conference_id=conference.id).order_by(Contract.number)
             .options(selectinload(Contract.signatures).selectinload(ContractSignature.act),
                      selectinload(Contract.signatures).selectinload(ContractSignature.party),
                      selectinload(Contract.milestones), selectinload(Contract.party)))
    return jsonify(paginate(query, _contract, conference_id=conference.id))


@bp.get("/conferences/<int:conference_id>/contracts/<int:number>")
def conference_contract(conference_id: int, number: int):
    """One contract of a COP, by its number."""
    conference = loaders.get_conference(conference_id)
    return jsonify(_contract(queries.get_contract(conference, number)))
