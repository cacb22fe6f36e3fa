"""Contract pages: the list and the generation form, one contract (public once generated) with its signatures,
milestones and disbursements, its JSON, PDF and acts; the signing and disbursement forms."""
from typing import Optional

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from cop import loaders, permissions
from cop.conferences.models import Conference, Party
from cop.contracts import bp, document, labels, operations, printing, queries
from cop.commitments.labels import FUNDER_LABELS
from cop.contracts.forms import DisbursementForm, GenerateForm
from cop.contracts.models import Contract, ContractSignatureAct
from cop.db import db
from cop.errors import DomainError, Invalid, NotFound
from cop.funding.forms import ANSWER_LABELS
from cop.numbers import parse_decimal
from cop.reference.models import Sector
from cop.roadmap import acts
from cop.roadmap.forms import SignForm, act_input
from cop.rulebook import allowed, may_all
from cop.rulebook.states import contract_payer, contract_signatory
from cop.signing import PasswordRefused

labels.register(bp)


def _generate_form(conference: Conference, form: Optional[GenerateForm] = None) -> GenerateForm:
    """The generation form with the pairs that can be contracted."""
    form = form or GenerateForm()
    pairs = queries.candidates(conference)
    form.party_id.choices = [SelectChoice("", _("Choisissez un territoire"))] + [
        SelectChoice(str(p.id), p.name) for p in sorted({p for p, _ in pairs}, key=lambda p: p.name)]
    form.sector.choices = [SelectChoice("", _("Choisissez une filière"))] + [
        SelectChoice(s.code, s.name) for s in sorted({s for _, s in pairs}, key=lambda s: s.position)]
    return form


def _list(conference: Conference, status: int = 200, form: Optional[GenerateForm] = None):
    """The list page, with the generation form as posted after a refusal."""
    may = may_all(current_user, conference, ("contract.generate",))
    return render_template("contracts/index.html", conference=conference,
                           contracts=queries.contracts(conference.id),
                           form=_generate_form(conference, form) if may["contract_generate"] else None,
                           may=may), status


@bp.get("/<int:conference_id>/contrats")
def index(conference_id: int):
    """Public: the COP's contracts, their state and hash."""
    return _list(loaders.get_conference(conference_id))


@bp.post("/<int:conference_id>/contrats")
@login_required
def generate(conference_id: int):
    """The managers generate (and freeze) a territory's contract for a filière."""
    conference = loaders.get_conference(conference_id)
    allowed("contract.generate", current_user, conference)
    form = _generate_form(conference)
    try:
        if not form.validate_on_submit():
            raise Invalid("Le formulaire est incomplet ou un montant est mal écrit : relisez chaque jalon.")
        if not (form.party_id.data or "").isdigit():
            raise Invalid("Choisissez le territoire du contrat.")
        party = loaders.get_party(conference, int(form.party_id.data))
        sector = db.session.scalar(db.select(Sector).filter_by(code=form.sector.data))
        if sector is None:
            raise NotFound("Cette filière n’existe pas.")
        milestones = [operations.MilestoneInput(row.title.data or "", row.due_on.data, parse_decimal(row.amount.data))
                      for row in form.milestones]
        contract = operations.generate(current_user, conference, party, sector, milestones)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _list(conference, error.status, form)
    db.session.commit()
    flash(_("Contrat n° %(n)s généré : son empreinte est publiée, il attend ses trois signatures.",
            n=contract.number), "success")
    return redirect(url_for("contracts.show", conference_id=conference.id, number=contract.number))


def _page(conference: Conference, contract: Contract, status: int = 200, form=None, pay_form=None):
    """A contract's page: the document, its signatures, milestones and disbursements, the forms its reader may use
    (and, to one of its parties, why a form is not offered now)."""
    m = permissions.membership(current_user, conference)
    own: Optional[Party] = m.party if m is not None else None
    signed = {s.party_id: s for s in contract.signatures}
    paid = queries.disbursed_by_milestone([contract.id])
    return render_template(
        "contracts/show.html", conference=conference, contract=contract, c=contract.content, signed=signed,
        funder_labels=FUNDER_LABELS, answer_labels=ANSWER_LABELS,
        paid=paid, disbursements=queries.disbursements(contract), own_party=own,
        may_sign=operations.may_sign(current_user, contract, own) if own is not None and contract_signatory(
            contract, own) else None,
        may_pay=operations.may_pay(current_user, contract, own) if own is not None and contract_payer(
            contract, own) else None,
        form=form or SignForm(sha256=contract.sha256), pay_form=pay_form or DisbursementForm(),
        act_required=conference.signature_act_required, act_max_kb=acts.max_bytes() // 1024), status


@bp.get("/<int:conference_id>/contrats/<int:number>")
def show(conference_id: int, number: int):
    """Public: one contract."""
    conference = loaders.get_conference(conference_id)
    return _page(conference, queries.get_contract(conference, number))


def _filename(contract: Contract, extension: str) -> str:
    """e.g. "contrat-COP-AURA-2027-n1.json"."""
    return f"contrat-{contract.conference.code}-n{contract.number}.{extension}"


@bp.get("/<int:conference_id>/contrats/<int:number>.json")
def download_json(conference_id: int, number: int):
    """The canonical JSON: exactly the bytes whose SHA-256 is published."""
    contract = queries.get_contract(loaders.get_conference(conference_id), number)
    response = Response(document.json_bytes(contract), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(contract, "json")}"'
    response.headers["X-Contract-SHA256"] = contract.sha256
    return response


@bp.get("/<int:conference_id>/contrats/<int:number>.pdf")
def download_pdf(conference_id: int, number: int):
    """The contract as a PDF (WeasyPrint, the roadmap's print stylesheet)."""
    contract = queries.get_contract(loaders.get_conference(conference_id), number)
    response = Response(printing.render_pdf(contract), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(contract, "pdf")}"'
    response.headers["X-Contract-SHA256"] = contract.sha256
    return response


@bp.get("/<int:conference_id>/contrats/<int:number>/actes/<int:act_id>.pdf")
def download_act(conference_id: int, number: int, act_id: int):
    """The act behind a signature of this contract, refused if its bytes no longer match their hash."""
    contract = queries.get_contract(loaders.get_conference(conference_id), number)
    act = db.session.get(ContractSignatureAct, act_id) if act_id <= loaders.MAX_ID else None
    if act is None or act.signature.contract_id != contract.id:
        raise NotFound("Cet acte n’accompagne aucune signature de ce contrat.")
    response = Response(operations.stored_act_bytes(act), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{act.filename}"'
    response.headers["X-Act-SHA256"] = act.sha256
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _acting_party(conference: Conference) -> Party:
    """The party the signed-in member acts for, or a French 404."""
    m = permissions.membership(current_user, conference)
    if m is None or m.party is None:
        raise NotFound("Vous ne représentez aucune partie de cette COP.")
    return m.party


@bp.post("/<int:conference_id>/contrats/<int:number>/signer")
@login_required
def sign(conference_id: int, number: int):
    """A head of delegation of the territory, the Region or the State signs the contract."""
    conference = loaders.get_conference(conference_id)
    contract = queries.get_contract(conference, number)
    form = SignForm()
    try:
        party = _acting_party(conference)
        if not form.validate_on_submit():
            raise Invalid("Le formulaire de signature est incomplet (empreinte lue, mot de passe, acte) : relisez "
                          "la page avant de signer.")
        operations.sign(current_user, contract, party, form.sha256.data, password=form.password.data,
                        act=act_input(form), client=request.remote_addr or "?")
        db.session.commit()
    except PasswordRefused as error:
        db.session.commit()  # only the failed attempt was written (the password is checked first): it counts
        flash(error.message, "error")
        return _page(conference, contract, error.status, form)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, contract, error.status, form)
    flash(_("« %(name)s » a signé le contrat n° %(n)s.", name=party.name, n=contract.number), "success")
    return redirect(url_for("contracts.show", conference_id=conference.id, number=contract.number))


@bp.post("/<int:conference_id>/contrats/<int:number>/versements")
@login_required
def disburse(conference_id: int, number: int):
    """The territory or a funder records funds paid against a milestone."""
    conference = loaders.get_conference(conference_id)
    contract = queries.get_contract(conference, number)
    form = DisbursementForm()
    try:
        party = _acting_party(conference)
        allowed("contract.disburse", current_user, party, contract)
        if not form.validate_on_submit():
            raise Invalid("Le versement est incomplet ou son montant est mal écrit : un montant positif, en euros "
                          "et centimes, et sa date.")
        milestone = next((m for m in contract.milestones if m.id == form.milestone.data), None)
        if milestone is None:
            raise NotFound("Ce jalon n’appartient pas à ce contrat.")
        operations.disburse(current_user, contract, milestone, party, parse_decimal(form.amount.data),
                            form.paid_on.data, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, contract, error.status, pay_form=form)
    db.session.commit()
    flash(_("Versement enregistré."), "success")
    return redirect(url_for("contracts.show", conference_id=conference.id, number=contract.number,
                            _anchor="versements"))
