"""Filing pages: a party's priorities and commitments, the draft form, submission and withdrawal."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import bp, draft_page, drafts, queries, services, starting, submission
from cop.commitments.forms import DraftForm, PriorityForm, WithdrawForm, choices
from cop.commitments.labels import FIELD_LABELS
from cop.commitments.phase_notice import filing_state
from cop.conferences.models import Party
from cop.db import db
from cop.errors import DomainError
from cop.reference.models import Sector
from cop.rulebook import ask, in_phase, who_may
from cop.rulebook.states import filing_action


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
            sector = queries.get_sector(form.sector.data)
            services.declare_priority(current_user, party_obj, sector, form.reason.data)
            if request.form.get("then") == "start":
                commitment = starting.start(current_user, party_obj, sector, request.form.get("source", ""))
                db.session.commit()
                return redirect(url_for(".edit", conference_id=conference.id, commitment_id=commitment.id))
            db.session.commit()
            flash(_("Filière prioritaire ajoutée."), "success")
            return redirect(url_for(".party", conference_id=conference.id, party_id=party_obj.id))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("commitments/party.html", **_party_context(party_obj, form)), error.status
    return render_template("commitments/party.html", **_party_context(party_obj, form))


def _party_context(party_obj: Party, form: PriorityForm) -> dict:
    """What the party page shows."""
    return {"conference": party_obj.conference, "party": party_obj, "form": form,
            "priorities": queries.priorities(party_obj), "commitments": queries.party_commitments(party_obj),
            "filing": filing_state(conference=party_obj.conference),
            "may_file": who_may("commitment.file", current_user, party_obj),
            "starting_points": starting.starting_points(party_obj)}


@bp.post("/<int:conference_id>/parties/<int:party_id>/priorites/<code>/retirer")
@login_required
def remove_priority(conference_id: int, party_id: int, code: str):
    """Drop a priority filière."""
    party_obj = loaders.get_party(loaders.get_conference(conference_id), party_id)
    services.remove_priority(current_user, party_obj, queries.get_sector(code))
    db.session.commit()
    flash(_("Filière retirée des priorités."), "success")
    return redirect(url_for(".party", conference_id=conference_id, party_id=party_id))


@bp.post("/<int:conference_id>/parties/<int:party_id>/engagements/<code>")
@login_required
def start(conference_id: int, party_id: int, code: str):
    """Start the commitment of a priority filière and open its draft."""
    party_obj = loaders.get_party(loaders.get_conference(conference_id), party_id)
    try:
        commitment = starting.start(current_user, party_obj, queries.get_sector(code), request.form.get("source", ""))
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if error.status in (403, 404):
            raise
        flash(error.message, "error")
        return redirect(url_for(".party", conference_id=conference_id, party_id=party_id))
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
    """The draft form: save, or save and submit in one step; a refusal shows the form again with the input."""
    commitment = _filer_commitment(conference_id, commitment_id)
    draft = drafts.current_draft(commitment)
    if draft is None:
        return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))
    if request.method == "GET":
        form = draft_page.filled_form(commitment, draft)
        if draft.form_state:
            form.validate()
        return _edit_page(commitment, draft, form)
    form = DraftForm()
    if draft_page.row_action(form, request.form):
        return _edit_page(commitment, draft, form)
    if not _valid(form, commitment):
        return _edit_page(commitment, draft, form, status=422)
    submitting = request.form.get("action") == "submit"
    try:
        services.save_draft(current_user, commitment, int(form.version.data), form.to_input())
        version = submission.submit(current_user, commitment, commitment.version) if submitting else None
        db.session.commit()
    except services.StaleDraft as stale:
        db.session.rollback()
        form.version.raw_data, form.version.data = None, str(commitment.version)
        flash(stale.message, "error")
        return _edit_page(commitment, stale.draft, form, status=409, changed=stale.changed)
    except DomainError as error:
        db.session.rollback()
        return _refused(commitment, form, error)
    if version is not None:
        flash(_("Version %(n)s soumise à la présidence.", n=version.number), "success")
        return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))
    flash(_("Brouillon enregistré."), "success")
    return redirect(url_for(".edit", conference_id=conference_id, commitment_id=commitment.id))


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/brouillon/auto")
@login_required
def autosave(conference_id: int, commitment_id: int):
    """Save the draft as one types: a valid input becomes the draft, an unfinished one is kept as typed."""
    commitment = _filer_commitment(conference_id, commitment_id)
    draft = drafts.current_draft(commitment)
    form = DraftForm()
    if draft is None or request.form.get("version", type=int) != commitment.version:
        return jsonify(message=_("Le brouillon a changé depuis que vous l’avez ouvert : rechargez la page.")), 409
    phase = in_phase(filing_action(commitment), commitment.party.conference)
    if not phase:
        return jsonify(message=phase.message), phase.error.status
    if _valid(form, commitment):
        try:
            services.save_draft(current_user, commitment, commitment.version, form.to_input())
            db.session.commit()
            return jsonify(saved=True, version=commitment.version, message=_("Brouillon enregistré."))
        except DomainError:
            db.session.rollback()
    if not draft_page.keep_state(draft, request.form):
        return jsonify(message=_("Saisie trop longue pour être gardée.")), 413
    db.session.commit()
    return jsonify(saved=False, version=commitment.version,
                   message=_("Saisie gardée ; elle deviendra le brouillon une fois complète et sans erreur."))


def _filer_commitment(conference_id: int, commitment_id: int):
    """The commitment, for someone who files for its party (404 / 403 otherwise)."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    services.check_filer(current_user, commitment.party)
    return commitment


def _valid(form: DraftForm, commitment) -> bool:
    """The form's own checks and the communes of its sites."""
    draft_page.set_choices(form, commitment)
    valid = form.validate()
    return draft_page.resolve_communes(form, commitment.party.conference.region.code) and valid


def _refused(commitment, form: DraftForm, error: DomainError):
    """The form again, with the refusal beside its fields."""
    draft_page.place_error(form, error)
    flash(error.message, "error")
    return _edit_page(commitment, drafts.current_draft(commitment), form, status=error.status)


def _edit_page(commitment, draft, form, status: int = 200, changed=None):
    """Render the draft form."""
    indicators = draft_page.set_choices(form, commitment)
    return render_template("commitments/edit.html", conference=commitment.party.conference,
                           commitment=commitment, draft=draft, form=form, changed=changed or [],
                           field_labels=FIELD_LABELS, baseline=drafts.baseline(commitment, before=draft.number),
                           withdraw_form=WithdrawForm(), blank_rows=draft_page.blank_rows(indicators, form),
                           errors=draft_page.error_summary(form), filing=filing_state(commitment),
                           may={"commitment_withdraw": ask("commitment.withdraw", current_user, commitment.party,
                                                           commitment)}), status


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/soumettre")
@login_required
def submit(conference_id: int, commitment_id: int):
    """Freeze the saved draft as a numbered version; a refusal shows the draft form with the reason."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    try:
        version = submission.submit(current_user, commitment, request.form.get("version", type=int) or 0)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        draft = drafts.current_draft(commitment)
        if draft is None or not who_may("commitment.file", current_user, commitment.party):
            raise
        return _refused(commitment, draft_page.filled_form(commitment, draft), error)
    flash(_("Version %(n)s soumise à la présidence.", n=version.number), "success")
    return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/retirer")
@login_required
def withdraw(conference_id: int, commitment_id: int):
    """Record the withdrawal of a commitment."""
    commitment = queries.get_commitment(loaders.get_conference(conference_id), commitment_id, current_user)
    form = WithdrawForm()
    submission.withdraw(current_user, commitment, form.reason.data or "")
    db.session.commit()
    flash(_("Engagement retiré : il ne compte plus dans la synthèse, son historique reste public."), "success")
    return redirect(url_for(".show", conference_id=conference_id, commitment_id=commitment.id))
