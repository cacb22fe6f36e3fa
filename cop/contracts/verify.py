"""`cop contract verify`: every contract's canonical JSON against its SHA-256, its rows against the JSON, its
signatures against its hash, and every act's PDF against its recorded SHA-256."""
import hashlib
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cop.contracts import document
from cop.contracts.models import Contract, ContractSignature, ContractSignatureAct
from cop.db import db


def verify_all(conference_id: Optional[int] = None) -> tuple[int, int, list[str]]:
    """Check every contract (of one COP when given); return how many contracts and acts were checked, and the
    problems found, each a French sentence naming the contract."""
    query = select(Contract).order_by(Contract.conference_id, Contract.number).options(
        selectinload(Contract.milestones), selectinload(Contract.signatures))
    if conference_id is not None:
        query = query.where(Contract.conference_id == conference_id)
    contracts, problems = 0, []
    for contract in db.session.scalars(query):
        contracts += 1
        problems += [f"COP {contract.conference_id}, contrat n° {contract.number} : {p}"
                     for p in document.problems(contract)]
    acts_query = (select(ContractSignatureAct.id, ContractSignatureAct.pdf, ContractSignatureAct.sha256,
                         ContractSignatureAct.number, Contract.number, Contract.conference_id)
                  .join(ContractSignature, ContractSignature.id == ContractSignatureAct.signature_id)
                  .join(Contract, Contract.id == ContractSignature.contract_id))
    if conference_id is not None:
        acts_query = acts_query.where(Contract.conference_id == conference_id)
    acts = 0
    for act_id, data, sha256, number, contract_number, conference in db.session.execute(
            acts_query.order_by(ContractSignatureAct.id)):
        acts += 1
        actual = hashlib.sha256(data or b"").hexdigest()
        if actual != sha256:
            problems.append(f"COP {conference}, contrat n° {contract_number} : l’acte n° {number} (id {act_id}) a "
                            f"l’empreinte {actual}, l’empreinte enregistrée {sha256}")
    return contracts, acts, problems
