"""The support page: funders and budgets (committed vs remaining), each request with its deadline and answer; the
managers' and the funders' forms on the same page."""
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from cop import loaders
from cop.commitments.labels import FUNDER_LABELS
from cop.commitments.models import FUNDERS, SupportRequest
from cop.conferences.models import Party
from cop.db import db
from cop.errors import DomainError, NotFound
from cop.funding import bp, operations, queries
from cop.funding.forms import ANSWER_LABELS, AnswerForm, BudgetForm, FunderForm
from cop.numbers import parse_decimal
from cop.rulebook import allowed, may_all


def _funder(conference, funder_id: int):
    """A funder of this very COP, or NotFound."""
    funder = next((f for f in queries.funders(conference.id) if f.id == funder_id), None)
    if funder is None:
        raise NotFound("Ce financeur n’existe pas dans cette COP.")
    return funder


def _render(conference, status: int = 200, **forms):
    """The page, with any form as posted after a refusal."""
    funders = queries.funders(conference.id)
    lines = queries.requests(conference.id)
    used = queries.committed(b.id for f in funders for b in f.budgets)
    funder_form = forms.get("funder_form") or FunderForm()
    funder_form.party_id.choices = [(p.id, p.name) for p in db.session.scalars(
        select(Party).where(Party.conference_id == conference.id, Party.territory_id.is_(None)).order_by(Party.name))]
    funder_form.code.choices = [(code, str(FUNDER_LABELS[code])) for code in FUNDERS]
    return render_template(
        "funding/index.html", conference=conference, funders=funders, lines=lines, used=used,
        by_code={f.code: f for f in funders}, funder_labels=FUNDER_LABELS, answer_labels=ANSWER_LABELS,
        funder_form=funder_form, budget_form=forms.get("budget_form") or BudgetForm(),
        answer_form=forms.get("answer_form") or AnswerForm(), zero=Decimal(0),
        may=may_all(current_user, conference, ("funder.register",)),
        funder_may={f.id: may_all(current_user, f.party, ("support.answer", "budget.set")) for f in funders}), status


@bp.get("/<int:conference_id>/appuis")
def index(conference_id: int):
    """Public: every support request of the accepted commitments, its deadline and its funder's answer."""
    return _render(loaders.get_conference(conference_id))


def _refused(conference, error: DomainError, **forms):
    """A refusal: nothing written, the message shown with the page."""
    db.session.rollback()
    flash(error.message, "error")
    return _render(conference, error.status, **forms)


@bp.post("/<int:conference_id>/financeurs")
@login_required
def register(conference_id: int):
    """The managers name the party that answers one kind of funder's requests."""
    conference = loaders.get_conference(conference_id)
    allowed("funder.register", current_user, conference)
    form = FunderForm()
    form.code.choices = [(code, str(FUNDER_LABELS[code])) for code in FUNDERS]
    if not form.validate_on_submit():
        return _render(conference, 422, funder_form=form)
    try:
        party = loaders.get_party(conference, form.party_id.data)
        operations.register_funder(current_user, conference, party, form.code.data, form.answer_days.data)
    except DomainError as error:
        return _refused(conference, error, funder_form=form)
    db.session.commit()
    flash(_("Financeur enregistré."), "success")
    return redirect(url_for("funding.index", conference_id=conference.id))


@bp.post("/<int:conference_id>/financeurs/<int:funder_id>/budgets")
@login_required
def budget(conference_id: int, funder_id: int):
    """The funder's delegation sets one budget."""
    conference = loaders.get_conference(conference_id)
    funder = _funder(conference, funder_id)
    allowed("budget.set", current_user, funder.party)
    form = BudgetForm()
    if not form.validate_on_submit():
        return _render(conference, 422, budget_form=form)
    try:
        operations.set_budget(current_user, funder, form.programme.data, form.year.data,
                              parse_decimal(form.amount.data))
    except DomainError as error:
        return _refused(conference, error, budget_form=form)
    db.session.commit()
    flash(_("Budget enregistré."), "success")
    return redirect(url_for("funding.index", conference_id=conference.id, _anchor=f"financeur-{funder.id}"))


@bp.post("/<int:conference_id>/appuis/<int:request_id>/reponse")
@login_required
def answer(conference_id: int, request_id: int):
    """The funder's delegation answers one request."""
    conference = loaders.get_conference(conference_id)
    item = db.session.get(SupportRequest, request_id) if request_id <= 2**31 - 1 else None
    funder = next((f for f in queries.funders(conference.id) if item is not None and f.code == item.funder), None)
    if item is None or funder is None:
        raise NotFound("Cette demande d’appui n’est pas adressée à un financeur de cette COP.")
    allowed("support.answer", current_user, funder.party)
    form = AnswerForm()
    if not form.validate_on_submit():
        for name, errors in form.errors.items():
            label = getattr(form, name).label.text if hasattr(form, name) else name
            for error in errors:
                flash(_("%(field)s : %(error)s", field=label, error=error), "error")
        return _render(conference, 422, answer_form=form)
    try:
        operations.answer(current_user, funder, item, form.status.data, amount=parse_decimal(form.amount.data),
                          reason=form.reason.data or "", budget_id=form.budget_id.data,
                          answered_on=form.answered_on.data)
    except DomainError as error:
        return _refused(conference, error, answer_form=form)
    db.session.commit()
    flash(_("Réponse enregistrée."), "success")
    return redirect(url_for("funding.index", conference_id=conference.id, _anchor=f"demande-{item.id}"))


