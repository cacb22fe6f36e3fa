"""The stocktake of a COP, each party's scorecard, reporting progress and reviewing reports."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required

from cop.loaders import form_version, get_conference, get_party
from cop.conferences.models import Conference, Party
from cop.contracts import queries as contract_queries
from cop.db import db
from cop.errors import DomainError, Invalid, NotFound
from cop.followup import bp, services, stocktake
from cop.followup.charts import chart
from cop.followup.forms import ReportForm, ReviewForm
from cop.followup.models import ProgressReport
from cop.rulebook import ask

REPORT_STATE_LABELS = {"submitted": _l("Déposé"), "accepted": _l("Accepté"), "questioned": _l("Question posée")}
bp.add_app_template_global(REPORT_STATE_LABELS, "REPORT_STATE_LABELS")


@bp.get("/<int:conference_id>/bilan", endpoint="stocktake")
def stocktake_page(conference_id: int):
    """Target vs pledged vs achieved per filière × indicator, with charts and their data tables."""
    conference = get_conference(conference_id)
    version = stocktake.in_force(conference)
    lines = stocktake.lines(conference, version) if version else []
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=conference.id).order_by(Party.name)).all()
    return render_template("followup/stocktake.html", conference=conference, version=version,
                           lines=[(line, chart(line)) for line in lines], parties=parties,
                           contracts=contract_queries.followed(conference.id))


def _scorecard(conference: Conference, party: Party, status: int = 200, form=None):
    """Render a party's scorecard with the forms the current user may use."""
    version = stocktake.in_force(conference)
    rows = stocktake.scorecard(party, version) if version else []
    return render_template(
        "followup/scorecard.html", conference=conference, party=party, version=version, rows=rows,
        may_report=ask("progress.report", current_user, party),
        may_review=ask("progress.review", current_user, conference),
        form=form or ReportForm(), review_form=ReviewForm(),
        contracts=contract_queries.followed(conference.id, party.id)), status


@bp.get("/<int:conference_id>/bilan/parties/<int:party_id>")
def scorecard(conference_id: int, party_id: int):
    """A party's pledges, its reports year by year and the share achieved."""
    conference = get_conference(conference_id)
    return _scorecard(conference, get_party(conference, party_id))


def _int(raw) -> int:
    """An integer from a form field, or -1 (never an id)."""
    return int(raw) if isinstance(raw, str) and raw.isdigit() else -1


@bp.post("/<int:conference_id>/bilan/parties/<int:party_id>/rapports")
@login_required
def report(conference_id: int, party_id: int):
    """Report the value achieved for one pledge and one year."""
    conference = get_conference(conference_id)
    party = get_party(conference, party_id)
    form = ReportForm()
    try:
        if not form.validate_on_submit():
            raise Invalid(
                "Rapport incomplet : %(list)s",
                list=" ; ".join(f"{getattr(form, k).label.text} — {' '.join(v)}"
                                                            for k, v in form.errors.items() if k != "csrf_token"))
        services.report(current_user, party, _int(form.pledge_id.data), form.year.data, form.achieved_value.data,
                        form.evidence_url.data, form.comment.data,
                        form_version(form.row_version.data) if form.row_version.data else None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _scorecard(conference, party, error.status, form)
    flash(_("Rapport d’avancement déposé : la présidence va l’examiner."), "success")
    return redirect(url_for("followup.scorecard", conference_id=conference.id, party_id=party.id))


@bp.post("/<int:conference_id>/bilan/rapports/<int:report_id>/examen")
@login_required
def review(conference_id: int, report_id: int):
    """The presidency accepts a report or questions the party."""
    conference = get_conference(conference_id)
    item = db.session.get(ProgressReport, report_id)
    if item is None or item.conference_id != conference.id:
        raise NotFound("Ce rapport d’avancement n’existe pas dans cette COP.")
    form = ReviewForm()
    try:
        if not form.validate_on_submit():
            raise Invalid("Choisissez d’accepter le rapport ou d’interroger la partie.")
        services.review(current_user, item, form.verdict.data == "accept", form.comment.data,
                        form_version(form.row_version.data) if form.row_version.data else None)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _scorecard(conference, item.party, error.status)
    flash(_("Examen enregistré."), "success")
    return redirect(url_for("followup.scorecard", conference_id=conference.id, party_id=item.party_id))
