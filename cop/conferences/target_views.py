"""The regional targets editor: one year's table of filières × indicators."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cop.conferences import bp
from cop.conferences.forms import CsrfForm
from cop.loaders import get_managed
from cop.conferences.models import Conference
from cop.conferences.targets import EDITABLE_PHASES, check_year, format_value, set_targets, targets_for_year
from cop.db import db
from cop.errors import Conflict, DomainError, Invalid
from cop.reference.models import Indicator, Sector

SEP = "__"


def _year(raw: str | None, conference: Conference) -> int:
    """The year asked for (the horizon by default), checked against the COP's span."""
    if raw is None or raw == "":
        return conference.horizon_year
    if not raw.isdigit():
        raise Invalid("L'année doit être un nombre entier, par exemple 2030.")
    year = int(raw)
    check_year(conference, year)
    return year


def _cells(posted, prefix: str) -> dict[tuple[str, str], str]:
    """The posted cells named "<prefix>__<filière>__<indicator>", keyed by the two codes."""
    cells = {}
    for name, value in posted.items():
        parts = name.split(SEP)
        if len(parts) == 3 and parts[0] == prefix:
            cells[(parts[1], parts[2])] = value
    return cells


def _render(conference: Conference, year: int, form: CsrfForm, posted=None, keep_previous: bool = False):
    """The table of one year, filled with the stored values or with what was just posted.

    After a refused post the typed values stay; the values the form was read at stay too, unless the refusal
    was a conflict: then the table now carries the values just reported to the user.
    """
    stored = {cell: format_value(t.value) for cell, t in targets_for_year(conference, year).items()}
    shown = _cells(posted, "v") if posted else stored
    previous = _cells(posted, "p") if posted and keep_previous else stored
    years = range(conference.edition_year, conference.horizon_year + 1)
    return render_template(
        "conferences/targets.html", conference=conference, year=year, years=years, form=form,
        sectors=db.session.scalars(db.select(Sector).order_by(Sector.position)).all(),
        indicators=db.session.scalars(db.select(Indicator).order_by(Indicator.position)).all(),
        shown=shown, previous=previous, editable=conference.phase in EDITABLE_PHASES)


@bp.route("/<int:conference_id>/objectifs", methods=["GET", "POST"])
@login_required
def targets(conference_id: int):
    """Show and save one year's regional targets; nothing is written when one cell is wrong."""
    conference = get_managed(conference_id)
    year = _year(request.values.get("annee"), conference)
    form = CsrfForm()
    if not form.validate_on_submit():
        return _render(conference, year, form)
    try:
        changed = set_targets(current_user, conference, year, _cells(request.form, "v"), _cells(request.form, "p"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        keep = not isinstance(error, Conflict)
        return _render(conference, year, form, request.form, keep_previous=keep), error.status
    db.session.commit()
    flash(f"Objectifs {year} enregistrés : {changed} modification(s)." if changed else "Aucune modification.",
          "success")
    return redirect(url_for("conferences.targets", conference_id=conference.id, annee=year))
