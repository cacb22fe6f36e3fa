"""State changes of contracts: generation (frozen at once), signature by its three parties, disbursements."""
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Optional

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cop.audit.services import record
from cop.auth.models import User
from cop.commitments.models import CommitmentVersion, SupportRequest
from cop.commitments.synthesis import basis
from cop.conferences.models import Conference, Party
from cop.contracts import document
from cop.contracts.models import (Contract, ContractMilestone, ContractSignature, ContractSignatureAct,
                                  ContractState, Disbursement, SignatoryRole)
from cop.db import db, utcnow
from cop.errors import Conflict, Invalid, NotFound
from cop.filters import number
from cop.funding.models import Funder
from cop.funding.queries import current_answers
from cop.projects.queries import reference
from cop.reference.models import Sector
from cop.roadmap import acts
from cop.rulebook import allowed, ask, first_no, no, require
from cop.rulebook.states import contract_payer, contract_signatory
from cop.signing import attest

#: At most this many milestones in a contract, and amounts below this bound (the column's range).
MAX_MILESTONES = 12
MAX_AMOUNT = Decimal("99999999999999")


@dataclass
class MilestoneInput:
    """A milestone as the generation form carries it."""

    label: str
    due_on: Optional[date]
    amount: Optional[Decimal]


def _counted_version(conference: Conference, party: Party, sector: Sector) -> CommitmentVersion:
    """The party's counted (latest accepted) version in the filière, or a French refusal."""
    base = basis([conference.id], sector.id)
    version_id = db.session.scalar(select(base.c.version_id).where(base.c.party_id == party.id))
    if version_id is None:
        raise Invalid("« %(party)s » n’a pas d’engagement accepté dans la filière « %(sector)s » : il n’y a rien à "
                      "contractualiser.", party=party.name, sector=sector.name_fr)
    return db.session.get(CommitmentVersion, version_id)


def _signatories(conference: Conference, party: Party) -> list[dict]:
    """The territory, the Region and the State's representative (accredited parties of the COP)."""
    def one(kind: str) -> Party:
        found = db.session.scalar(select(Party).filter_by(conference_id=conference.id, kind=kind,
                                                          accreditation="accredited").order_by(Party.id))
        if found is None:
            raise Invalid("La COP n’a pas de partie accréditée pour %(who)s : le contrat ne peut pas être signé.",
                          who="la Région" if kind == "region" else "l’État")
        return found
    return [{"role": role.value, "party": p.id, "name": p.name}
            for role, p in ((SignatoryRole.TERRITORY, party), (SignatoryRole.REGION, one("region")),
                            (SignatoryRole.STATE, one("state")))]


def _pledges(version: CommitmentVersion) -> list[dict]:
    """The version's pledge lines; a line naming a project carries its public reference only."""
    return [{"indicator": p.indicator.code, "indicator_name": p.indicator.name_fr, "unit": p.indicator.unit_fr,
             "reference_year": p.reference_year, "reference_value": p.reference_value,
             "target_year": p.target_year, "unconditional": p.unconditional_value,
             "conditional": p.conditional_value, "share": p.project_share,
             "project": reference(p.project) if p.project_id is not None else None}
            for p in sorted(version.pledges, key=lambda p: p.position)]


def _support(conference: Conference, version: CommitmentVersion) -> list[dict]:
    """The version's support requests that a funder granted, fully or partly, with the answer that counts."""
    requests = list(db.session.scalars(select(SupportRequest).filter_by(version_id=version.id)
                                       .order_by(SupportRequest.position, SupportRequest.id)))
    answers = current_answers(r.id for r in requests)
    funders = {f.id: f for f in db.session.scalars(select(Funder).filter_by(conference_id=conference.id))}
    lines = []
    for item in requests:
        answer = answers.get(item.id)
        if answer is None or not answer.commits:
            continue
        funder = funders[answer.funder_id]
        budget = answer.budget
        lines.append({"request": item.id, "funder": funder.code, "funder_party": funder.party_id,
                      "funder_name": funder.party.name, "purpose": item.purpose, "requested": item.amount,
                      "status": answer.status, "granted": answer.amount, "answered_on": answer.answered_on,
                      "programme": budget.programme if budget else "", "budget_year": budget.year if budget else None})
    return lines


def _milestones(items: list[MilestoneInput], granted: Decimal) -> list[dict]:
    """The milestones checked: each named, dated and funded; together no more than the support granted."""
    items = [m for m in items if (m.label or "").strip() or m.due_on is not None or m.amount is not None]
    if not items:
        raise Invalid("Un contrat a au moins un jalon : son libellé, son échéance et le montant qu’il libère.")
    if len(items) > MAX_MILESTONES:
        raise Invalid("Un contrat a au plus %(n)s jalons.", n=MAX_MILESTONES)
    out = []
    for position, item in enumerate(items, start=1):
        label = (item.label or "").strip()
        if not label or len(label) > 200:
            raise Invalid("Le jalon %(n)s n’a pas de libellé (200 caractères au plus).", n=position)
        if item.due_on is None or not date(2000, 1, 1) <= item.due_on <= date(2100, 12, 31):
            raise Invalid("Le jalon %(n)s n’a pas d’échéance valable.", n=position)
        if item.amount is None or not Decimal(0) < item.amount <= MAX_AMOUNT \
                or item.amount != item.amount.quantize(Decimal("0.01")):
            raise Invalid("Le montant du jalon %(n)s doit être positif, en euros et centimes.", n=position)
        out.append(document.milestone_of(position, label, item.due_on, item.amount))
    total = sum((m["amount"] for m in out), Decimal(0))
    if total > granted:
        raise Invalid("Les jalons libèrent %(total)s €, plus que l’appui accordé (%(granted)s €).",
                      total=number(total, 2), granted=number(granted, 2))
    return out


def generate(user: User, conference: Conference, party: Party, sector: Sector,
             milestones: list[MilestoneInput]) -> Contract:
    """Generate and freeze the contract of a territory for a filière: its counted pledges, the support granted,
    the milestones; its canonical JSON and SHA-256 are published at once."""
    allowed("contract.generate", user, conference)
    if party.conference_id != conference.id:
        raise NotFound("Cette partie n’appartient pas à cette COP.")
    if party.kind in ("region", "state"):
        raise Invalid("Un contrat lie un territoire à la Région et à l’État : choisissez un territoire.")
    if db.session.scalar(select(Contract.id).filter_by(conference_id=conference.id, party_id=party.id,
                                                       sector_id=sector.id)) is not None:
        raise Conflict("« %(party)s » a déjà un contrat pour la filière « %(sector)s ».", party=party.name,
                       sector=sector.name_fr)
    version = _counted_version(conference, party, sector)
    support = _support(conference, version)
    if not support:
        raise Invalid("Aucun appui n’a été accordé aux demandes de « %(party)s » dans cette filière : le contrat "
                      "n’a rien à engager.", party=party.name)
    granted = sum((line["granted"] for line in support), Decimal(0))
    content = document.plain({
        "conference": {"id": conference.id, "code": conference.code, "name": conference.title},
        "territory": {"party": party.id, "name": party.name,
                      "code": party.territory.code if party.territory is not None else None},
        "sector": {"code": sector.code, "name": sector.name_fr},
        "commitment": {"id": version.commitment_id, "version": version.number,
                       "reference_year": version.reference_year, "target_year": version.target_year,
                       "sealed": version.commitment.is_hidden,
                       "seal": version.commitment.seal_digest if version.commitment.is_hidden else None},
        "pledges": _pledges(version), "support": support, "granted_total": granted,
        "milestones": _milestones(milestones, granted), "signatories": _signatories(conference, party)})
    number = (db.session.scalar(select(func.max(Contract.number)).filter_by(conference_id=conference.id)) or 0) + 1
    contract = Contract(conference_id=conference.id, number=number, party_id=party.id, sector_id=sector.id,
                        commitment_version_id=version.id, content=content, generated_dt=utcnow().replace(
                            microsecond=0), generated_by_id=user.id, canonical_json="", sha256="")
    try:
        with db.session.begin_nested():
            db.session.add(contract)
            db.session.flush()
    except IntegrityError:
        raise Conflict("Un autre contrat vient d’être généré : rechargez la page.") from None
    for m in content["milestones"]:
        db.session.add(ContractMilestone(contract_id=contract.id, position=m["position"], label=m["label"],
                                         due_on=date.fromisoformat(m["due_on"]), amount=Decimal(str(m["amount"]))))
    document.freeze(contract)
    db.session.flush()
    record("contract.generated", "contract", contract.id, actor=user, conference_id=conference.id,
           data={"number": number, "party": party.id, "sector": sector.code, "sha256": contract.sha256})
    return contract


def signature_of(contract: Contract, party: Party) -> Optional[ContractSignature]:
    """The party's signature of the contract, if it signed."""
    return db.session.scalar(select(ContractSignature).filter_by(contract_id=contract.id, party_id=party.id))


def may_sign(user: Optional[User], contract: Contract, party: Party):
    """May this person sign this contract for this party now? The rulebook, then the party's place in it."""
    answer = first_no(ask("contract.sign", user, party), contract_signatory(contract, party))
    if answer and signature_of(contract, party) is not None:
        return no(_l("« %(party)s » a déjà signé le contrat n° %(n)s.", party=party.name, n=contract.number),
                  Conflict)
    return answer


def sign(user: User, contract: Contract, party: Party, seen_sha256: str, *, password: str,
         act: Optional[acts.ActInput] = None, client: str = "?") -> ContractSignature:
    """Record a party's signature of the contract's hash, with the act that authorises it (the roadmap's way)."""
    conference = contract.conference

    def check() -> None:
        if party.conference_id != conference.id:
            raise NotFound("Cette partie n’appartient pas à cette COP.")
        require(may_sign(user, contract, party))

    act = attest(user, password=password, client=client, check=check, seen_sha256=seen_sha256,
                 sha256=contract.sha256, act=act, act_required=conference.signature_act_required,
                 stale=Conflict("L’empreinte que vous avez lue n’est pas celle du contrat : relisez la page avant de "
                                "signer."))
    role = next(s["role"] for s in contract.content["signatories"] if s["party"] == party.id)
    signature = ContractSignature(contract_id=contract.id, party_id=party.id, role=role, user_id=user.id,
                                  sha256=contract.sha256, signed_dt=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(signature)
            db.session.flush()
    except IntegrityError:
        raise Conflict("« %(name)s » vient de signer ce contrat.", name=party.name) from None
    data = {"party": party.id, "role": role, "sha256": contract.sha256}
    if act is not None:
        stored = ContractSignatureAct(signature_id=signature.id, kind=act.kind, number=act.number,
                                      adopted_on=act.adopted_on, body=act.body, filename=act.filename, pdf=act.data,
                                      size=len(act.data), sha256=hashlib.sha256(act.data).hexdigest())
        db.session.add(stored)
        data["act"] = {"kind": stored.kind, "number": stored.number, "sha256": stored.sha256}
    signed = db.session.scalar(select(func.count(ContractSignature.id)).filter_by(contract_id=contract.id))
    if signed == len(contract.content["signatories"]):
        contract.state = ContractState.SIGNED
    db.session.flush()
    record("contract.signed", "contract", contract.id, actor=user, conference_id=conference.id, data=data)
    return signature


def disbursed(milestone: ContractMilestone) -> Decimal:
    """What has been paid against a milestone."""
    total = db.session.scalar(select(func.sum(Disbursement.amount)).filter_by(milestone_id=milestone.id))
    return Decimal(str(total or 0))


def disburse(user: User, contract: Contract, milestone: ContractMilestone, party: Party, amount: Optional[Decimal],
             paid_on: Optional[date], note: str = "") -> Disbursement:
    """Record funds paid against a milestone of a signed contract; never beyond what the milestone releases."""
    allowed("contract.disburse", user, party, contract)
    require(contract_payer(contract, party))
    if milestone.contract_id != contract.id:
        raise NotFound("Ce jalon n’appartient pas à ce contrat.")
    if amount is None or not Decimal(0) < amount <= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise Invalid("Le montant versé doit être positif, en euros et centimes.")
    if paid_on is None or not date(2000, 1, 1) <= paid_on <= date.today():
        raise Invalid("La date du versement est obligatoire et ne peut pas être dans le futur.")
    if len(note or "") > 1000:
        raise Invalid("La note du versement fait au plus 1 000 caractères.")
    if db.session.get_bind().dialect.name == "postgresql":  # two payers at once: the second waits, then counts
        db.session.execute(select(ContractMilestone.id).filter_by(id=milestone.id).with_for_update())
    remaining = milestone.amount - disbursed(milestone)
    if amount > remaining:
        raise Conflict("Le jalon « %(label)s » ne libère plus que %(left)s € : un versement de %(amount)s € le "
                       "dépasserait.", label=milestone.label, left=number(remaining, 2), amount=number(amount, 2))
    row = Disbursement(milestone_id=milestone.id, amount=amount, paid_on=paid_on, party_id=party.id,
                       recorded_by_id=user.id, note=(note or "").strip())
    db.session.add(row)
    db.session.flush()
    record("contract.disbursed", "contract", contract.id, actor=user, conference_id=contract.conference_id,
           data={"milestone": milestone.position, "amount": str(amount), "paid_on": paid_on.isoformat(),
                 "party": party.id})
    return row


def stored_act_bytes(act: ContractSignatureAct) -> bytes:
    """An act's PDF, refused if its bytes no longer match the recorded hash."""
    data = db.session.scalar(select(ContractSignatureAct.pdf).filter_by(id=act.id)) or b""
    if hashlib.sha256(data).hexdigest() != act.sha256:
        raise Invalid("Le PDF de cet acte ne correspond plus à son empreinte : il n’est pas servi.")
    return data


def may_pay(user: Optional[User], contract: Contract, party: Party):
    """May this person record a disbursement of this contract for this party now?"""
    return first_no(ask("contract.disburse", user, party, contract), contract_payer(contract, party))
