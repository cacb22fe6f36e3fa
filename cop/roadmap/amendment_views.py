"""The web door of an amendment request: the head of delegation asks to lower pledges its party signed."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import permissions
from cop.db import db
from cop.errors import DomainError, Forbidden, Invalid
from cop.loaders import get_conference
from cop.roadmap import acts, amendments, bp
from cop.roadmap.forms import AmendmentForm

bp.add_app_template_global(amendments.REASON_LABELS, "AMENDMENT_REASON_LABELS")
bp.add_app_template_global(amendments.STATE_LABELS, "AMENDMENT_STATE_LABELS")
bp.add_app_template_global(acts.KIND_LABELS, "ACT_KIND_LABELS")


def _own_party(conference):
    """The party the current user heads in this COP, or None."""
    m = permissions.membership(current_user, conference)
    return m.party if m is not None and m.party is not None else None


def _render(conference, party, status: int = 200, form=None, posted=None):
    """The request page: the party's signed commitments, each with its pledges and the values to ask for."""
    version = amendments.in_force(conference)
    signed = amendments.signed_commitments(version, party) if version is not None and party is not None else []
    may = amendments.may_request(current_user, party) if party is not None else None
    return render_template("roadmap/amend.html", conference=conference, party=party, version=version, signed=signed,
                           may_amend=may, form=form or AmendmentForm(), posted=posted or {},
                           requests=[a for a in amendments.of_conference(conference)
                                     if party is not None and a.party_id == party.id]), status


@bp.get("/<int:conference_id>/feuille-de-route/modification")
@login_required
def amend(conference_id: int):
    """What the head of delegation may ask to lower, and the requests already made."""
    conference = get_conference(conference_id)
    return _render(conference, _own_party(conference))


def _values(codes: list[str]) -> dict:
    """The values typed for each pledge of the commitment (fields u-<indicator> and c-<indicator>)."""
    return {code: {"unconditional": request.form.get(f"u-{code}", ""),
                   "conditional": request.form.get(f"c-{code}", "")} for code in codes}


@bp.post("/<int:conference_id>/feuille-de-route/modification")
@login_required
def request_amendment(conference_id: int):
    """File the request; it goes on the agenda of the next plenary or review session."""
    conference = get_conference(conference_id)
    party = _own_party(conference)
    form = AmendmentForm()
    codes = [key[2:] for key in request.form if key.startswith("u-")][:50]
    try:
        if party is None:
            raise Forbidden("Vous ne représentez aucune partie de cette COP.")
        if not form.validate_on_submit():
            raise Invalid("La demande est incomplète : choisissez l’engagement et le motif, et expliquez-la.")
        amendment = amendments.request(current_user, party, form.commitment_id.data, _values(codes),
                                       form.reason_kind.data, form.reason.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render(conference, party, error.status, form, request.form)
    flash(_("Demande de modification inscrite à l’ordre du jour de « %(meeting)s ».",
            meeting=amendment_meeting_title(amendment)), "success")
    return redirect(url_for("roadmap.amend", conference_id=conference.id))


def amendment_meeting_title(amendment) -> str:
    """The title of the meeting the request was put before."""
    from cop.meetings.models import AgendaItem

    return db.session.get(AgendaItem, amendment.agenda_item_id).meeting.title
