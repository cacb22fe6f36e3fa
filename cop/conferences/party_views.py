"""The parties page of the presidency: invite territories and organisations, accredit or suspend them."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cop import labels
from cop.conferences import bp, parties
from cop.conferences.forms import CsrfForm, OrganisationPartyForm, TerritoryPartyForm
from cop.loaders import get_managed, get_party
from cop.conferences.models import Conference
from cop.conferences.views import party_listing
from cop.db import db
from cop.errors import DomainError


def _render(conference: Conference, status: int = 200, **forms):
    """The parties page, paginated, with its forms (fresh ones unless given)."""
    context = {"territory_form": TerritoryPartyForm(formdata=None), "organisation_form":
               OrganisationPartyForm(formdata=None), "form": CsrfForm(), **forms}
    return render_template("conferences/parties.html", conference=conference, parties=party_listing(conference),
                           inviting=conference.phase in parties.INVITING_PHASES, **context), status


def _done(conference: Conference, message: str):
    """Commit, flash and go back to the parties page."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("conferences.parties_page", conference_id=conference.id))


def _refused(conference: Conference, error: DomainError, **forms):
    """Roll back and show the page again with the refusal."""
    db.session.rollback()
    flash(error.message, "error")
    return _render(conference, error.status, **forms)


@bp.get("/<int:conference_id>/parties")
@login_required
def parties_page(conference_id: int):
    """Every party of the COP with the actions of the presidency."""
    return _render(get_managed(conference_id))


@bp.post("/<int:conference_id>/parties/<any(epci, region, accreditation):action>")
@login_required
def bulk(conference_id: int, action: str):
    """One click: invite every EPCI of the region, invite the Region, or accredit every invited party."""
    conference = get_managed(conference_id)
    try:
        if action == "epci":
            message = f"{len(parties.invite_all_epci(current_user, conference))} EPCI de la région invité(s)."
        elif action == "region":
            message = f"« {parties.invite_region(current_user, conference).name} » est invitée."
        else:
            message = f"{parties.accredit_all_invited(current_user, conference)} partie(s) accréditée(s)."
    except DomainError as error:
        return _refused(conference, error)
    return _done(conference, message)


@bp.post("/<int:conference_id>/parties/territoire")
@login_required
def invite_territory(conference_id: int):
    """Invite one territory by its official code."""
    conference = get_managed(conference_id)
    form = TerritoryPartyForm()
    if not form.validate_on_submit():
        return _render(conference, 422, territory_form=form)
    try:
        party = parties.invite_territory(current_user, conference, form.kind.data, form.code.data)
    except DomainError as error:
        return _refused(conference, error, territory_form=form)
    return _done(conference, f"« {party.name} » est invitée.")


@bp.post("/<int:conference_id>/parties/organisation")
@login_required
def invite_organisation(conference_id: int):
    """Invite a named organisation."""
    conference = get_managed(conference_id)
    form = OrganisationPartyForm()
    if not form.validate_on_submit():
        return _render(conference, 422, organisation_form=form)
    try:
        party = parties.invite_organisation(current_user, conference, form.name.data, form.kind.data)
    except DomainError as error:
        return _refused(conference, error, organisation_form=form)
    return _done(conference, f"« {party.name} » est invitée.")


@bp.post("/<int:conference_id>/parties/<int:party_id>/accreditation")
@login_required
def accreditation(conference_id: int, party_id: int):
    """Accredit, suspend or re-invite one party."""
    conference = get_managed(conference_id)
    party = get_party(conference, party_id)
    try:
        parties.set_accreditation(current_user, party, request.form.get("accreditation", ""))
    except DomainError as error:
        return _refused(conference, error)
    label = labels.ACCREDITATION_LABELS[party.accreditation]
    return _done(conference, f"« {party.name} » : {str(label).lower()}.")
