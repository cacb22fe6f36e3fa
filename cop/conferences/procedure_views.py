"""The rules of procedure's public page (every version, its date, the decision that adopted it) and the
presidency's proposal of a revision to a plenary."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from cop.conferences import bp, procedure
from cop.conferences.forms import RulesForm
from cop.loaders import get_conference
from cop.db import db
from cop.errors import DomainError
from cop.rulebook import allowed, ask


def _page(conference, form=None, status: int = 200):
    """The page, with the proposal form for the presidency once the rules are the plenary's."""
    may_propose = ask("rules.propose", current_user, conference)
    if form is None:
        form = RulesForm(data=procedure.rules_of(conference))
    form.agenda_item_id.choices = procedure.proposable_items(conference)
    return render_template("conferences/procedure.html", conference=conference, form=form,
                           versions=procedure.versions(conference), may_propose=may_propose), status


@bp.get("/<int:conference_id>/reglement", endpoint="procedure")
def procedure_page(conference_id: int):
    """Every version of the rules of procedure, public."""
    return _page(get_conference(conference_id))


@bp.post("/<int:conference_id>/reglement/revision")
@login_required
def propose(conference_id: int):
    """The presidency proposes a revision of the rules, decided on a plenary's agenda item."""
    conference = get_conference(conference_id)
    allowed("rules.propose", current_user, conference)  # who and when, before reading the form
    form = RulesForm()
    form.agenda_item_id.choices = procedure.proposable_items(conference)
    if not form.validate_on_submit():
        return _page(conference, form, 422)
    try:
        version = procedure.propose_rules(current_user, conference, form.settings(), form.agenda_item_id.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, form, error.status)
    db.session.commit()
    flash(f"Révision n° {version.number} du règlement proposée : elle entrera en vigueur si la plénière l’adopte.",
          "success")
    return redirect(url_for("conferences.procedure", conference_id=conference.id))
