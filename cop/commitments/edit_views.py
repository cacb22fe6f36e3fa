"""Filing pages: a party's priorities and commitments, the draft form, submission and withdrawal."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, drafts, queries, services, submission
from cop.commitments.forms import (BLANK_PLEDGES, BLANK_SITES, BLANK_SUPPORTS, DraftForm, PriorityForm,
                                   WithdrawForm, choices)
from cop.commitments.labels import FIELD_LABELS
from cop.conferences.models import Party
from cop.db import db
from cop.errors import DomainError
from cop.reference.models import Indicator, Sector


@bp.route("/<int:conference_id>/parties/<int:party_id>/engagements", methods=["GET", "POST"])
@login_required
def party(conference_id: int, party_id: int):
    """A party's filing desk: priority filières, commitments with their drafts, import."""
    conference = loaders.get_conference(conference_id)
    party_obj = loaders.get_party(conference, party_id)
    if not queries.can_read_drafts(current_user, party_obj):
        abort(403)
    form = PriorityForm()
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position))
    form.sector.choices = choices((s.code, s.name) for s in sectors)
    if form.validate_on_submit():
        try:
            services.declare_priority(current_user, party_obj, queries.get_sector(form.sector.data), form.reason.data)
            db.session.commit()
            flash("Filière prioritaire ajoutée.", "success")
            return redirect(url_for(".party", conference_id=conference.id, party_id=party_obj.id))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("commitments/party.html", **_party_context(party_obj, form)), error.status
    return render_template("commitments/party.html", **_party_context(party_obj, form))


def _party_context(party_obj: Party, form: PriorityForm) -> dict:
    """What the party page shows."""
    return {"conference": party_obj.conference, "party": party_obj, "form": form,
            "priorities": queries.priorities(party_obj), "commitments": queries.party_commitments(party_obj)}


@bp.post("/<int:conference_id>/parties/<int:party_id>/priorites/<code>/retirer")
@login_required
def remove_priority(conference_id: int, party_id: int, code: str):
    """Drop a priority filière."""
    party_obj = loaders.get_party(loaders.get_conference(conference_id), party_id)
    services.remove_priority(current_user, party_obj, queries.get_sector(code))
    db.session.commit()
    flash("Filière retirée des priorités.", "success")
    return redirect(url_for(".party", conference_id=conference_id, party_id=party_id))


@bp.post("/<int:conference_id>/parties/<int:party_id>/engagements/<code>")
@login_required
def start(conference_id: int, party_id: int, code: str):
    """Start the commitment of a priority filière and open its draft."""
    party_obj = loaders.get_party(loaders.get_conference(conference_id), party_id)
    commitment = services.start_commitment(current_user, party_obj, queries.get_sector(code))
    db.session.commit()
    return redirect(url_for(".edit", conference_id=conference_id, commitment_id=commitment.id))


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/nouvelle-version")
@login_required
def new_version(conference_id: int, commitment_id: int):
    """Open a draft from the latest version (or go back to the open one)."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    services.open_draft(current_user, commitment)
    db.session.commit()
    return redirect(url_for(".edit", conference_id=conference_id, commitment_id=commitment.id))


@bp.route("/<int:conference_id>/engagements/<int:commitment_id>/brouillon", methods=["GET", "POST"])
@login_required
def edit(conference_id: int, commitment_id: int):
    """The draft form; a save from a stale copy is answered 409 with the reader's input kept."""
    conference = loaders.get_conference(conference_id)
    commitment = queries.get_commitment(conference, commitment_id, current_user)
    services.check_filer(current_user, commitment.party)
    draft = drafts.current_draft(commitment)
    if draft is None:
        return redirect(url_for(".show", conference_id=conference.id, commitment_id=commitment.id))
    form = DraftForm() if request.method == "POST" else _filled_form(commitment, draft)
    _set_choices(form, commitment)
    if request.method == "GET" or not form.validate():
        return _edit_page(commitment, draft, form, status=422 if request.method == "POST" else 200)
    try:
        services.save_draft(current_user, commitment, int(form.version.data), form.to_input())
        db.session.commit()
    except services.StaleDraft as stale:
        db.session.rollback()
        form.version.raw_data, form.version.data = None, str(commitment.version)
        flash(stale.message, "error")
        return _edit_page(commitment, stale.draft, form, status=409, changed=stale.changed)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _edit_page(commitment, draft, form, status=error.status)
    flash("Brouillon enregistré.", "success")
    return redirect(url_for(".edit", conference_id=conference.id, commitment_id=commitment.id))


def _filled_form(commitment, draft) -> DraftForm:
    """The form filled with the draft, plus blank lines to add pledges, support requests and sites."""
    data = drafts.snapshot(draft)
    form = DraftForm(formdata=None, data={
        "version": commitment.version, "reference_year": data.reference_year, "target_year": data.target_year,
        **data.texts, "partners": data.partner_ids,
        "pledges": [{"indicator": p.indicator, "reference_year": p.reference_year, "target_year": p.target_year,
                     "reference_value": p.reference_value, "unconditional": p.unconditional,
                     "conditional": p.conditional} for p in data.pledges],
        "supports": [vars(s) for s in data.supports], "sites": [vars(s) for s in data.sites]})
    for field_list, blanks in ((form.pledges, BLANK_PLEDGES), (form.supports, BLANK_SUPPORTS),
                               (form.sites, BLANK_SITES)):
        for _ in range(blanks):
            field_list.append_entry()
    for entry in form.pledges.entries[len(data.pledges):]:
        entry.form.reference_year.data, entry.form.target_year.data = data.reference_year, data.target_year
    return form


def _set_choices(form: DraftForm, commitment) -> None:
    """The catalogue and the other parties of the COP, for the select lists."""
    indicators = db.session.scalars(db.select(Indicator).order_by(Indicator.position)).all()
    parties = [p for p in commitment.party.conference.parties if p.id != commitment.party_id]
    form.set_choices(indicators, parties)


def _edit_page(commitment, draft, form, status: int = 200, changed=None):
    """Render the draft form."""
    return render_template("commitments/edit.html", conference=commitment.party.conference,
                           commitment=commitment, draft=draft, form=form, changed=changed or [],
                           field_labels=FIELD_LABELS, baseline=drafts.baseline(commitment, before=draft.number),
                           withdraw_form=WithdrawForm()), status


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/soumettre")
@login_required
def submit(conference_id: int, commitment_id: int):
    """Freeze the draft as a numbered version."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    version = submission.submit(current_user, commitment, request.form.get("version", type=int) or 0)
    db.session.commit()
    flash(f"Version {version.number} soumise à la présidence.", "success")
    return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/retirer")
@login_required
def withdraw(conference_id: int, commitment_id: int):
    """Record the withdrawal of a commitment."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    form = WithdrawForm()
    submission.withdraw(current_user, commitment, form.reason.data or "")
    db.session.commit()
    flash("Engagement retiré : il ne compte plus dans la synthèse, son historique reste public.", "success")
    return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))
