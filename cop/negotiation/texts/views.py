"""The text page of an agenda item (versions, diffs, amendments, decisions) and the negotiation's web door."""
import uuid

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from cop.db import db, utcnow
from cop.errors import DomainError, Invalid
from cop.loaders import item_of
from cop.meetings import room_views
from cop.meetings import services as meeting_services
from cop.meetings.models import AgendaItem
from cop.negotiation import bp
from cop.negotiation.texts import commands, operations as texts  # noqa: F401  (commands: registers the live commands)
from cop.negotiation.votes.ballots import new_receipt
from cop.negotiation.texts.diff import compare_versions
from cop.negotiation.texts.forms import DraftForm
from cop.negotiation.texts.queries import panel_context, text_page_context
from cop.negotiation.services import draft_of
from cop.negotiation.decisions.timers import settle_due

INT_ARGS = ("item_id", "paragraph_id", "version", "amendment_id", "window_id", "objection_id", "vote_id",
            "group", "option")
TEXT_ARGS = ("kind", "text", "explanation", "reason", "ruling", "status", "question", "choice", "title", "body")
PREFIXES = ("text.", "amendment.", "decision.", "objection.", "vote.")


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    """An item of a meeting the reader may follow."""
    return item_of(room_views.watched_meeting(meeting_id), item_id)


@bp.get("/<int:meeting_id>/items/<int:item_id>/text")
def show(meeting_id: int, item_id: int):
    """The draft text of an item: paragraphs and statuses, amendments, the decision under way, the versions."""
    item = _item(meeting_id, item_id)
    settle_due(item.meeting_id)
    return render_template("negotiation/show.html", **text_page_context(item), draft_form=DraftForm(),
                           command_id=uuid.uuid4().hex)


@bp.get("/<int:meeting_id>/negotiation/panel")
def panel(meeting_id: int):
    """The negotiation panel of the room, console and projector pages, redrawn after each event."""
    meeting = room_views.watched_meeting(meeting_id)
    mode = request.args.get("mode", "room")
    if mode not in ("room", "chair", "projector"):
        abort(404)
    settle_due(meeting.id)
    return render_template("negotiation/_panel_body.html", mode=mode, command_id=uuid.uuid4().hex,
                           **panel_context(meeting))


@bp.post("/<int:meeting_id>/items/<int:item_id>/text")
@login_required
def create(meeting_id: int, item_id: int):
    """The presidency files the draft text of an item (journaled once the meeting is open)."""
    item = _item(meeting_id, item_id)
    form = DraftForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("negotiation.show", meeting_id=meeting_id, item_id=item_id)), 303
    try:
        if item.meeting.state == "scheduled":
            texts.create_draft(current_user, item.meeting, item, form.title.data, form.body.data, utcnow())
        else:
            meeting_services.run_command(meeting_id, current_user, "text.create",
                                         {"item_id": item.id, "title": form.title.data, "body": form.body.data})
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("negotiation.show", meeting_id=meeting_id, item_id=item_id)), 303
    db.session.commit()
    flash("Projet de texte déposé (version 1).", "success")
    return redirect(url_for("negotiation.show", meeting_id=meeting_id, item_id=item_id))


@bp.get("/<int:meeting_id>/items/<int:item_id>/text/versions")
def versions(meeting_id: int, item_id: int):
    """Every version of the text, and the word-level comparison of any two."""
    item = _item(meeting_id, item_id)
    draft = draft_of(item) or abort(404)
    numbers = [v.number for v in draft.versions]
    new = request.args.get("to", type=int, default=numbers[-1])
    old = request.args.get("from", type=int, default=max(new - 1, 1))
    by_number = {v.number: v for v in draft.versions}
    if old not in by_number or new not in by_number:
        abort(404)
    changes = compare_versions(by_number[old].paragraphs, by_number[new].paragraphs)
    return render_template("negotiation/versions.html", item=item, meeting=item.meeting, draft=draft,
                           old=by_number[old], new=by_number[new], changes=changes)


def _args(name: str) -> dict:
    """The command's arguments from the posted form: whole numbers where expected, text otherwise."""
    args = {}
    for key in INT_ARGS:
        value = request.form.get(key, "").strip()
        if value:
            if not value.lstrip("-").isdigit():
                raise Invalid(f"Le champ « {key} » attend un nombre entier.")
            args[key] = int(value)
    args.update({key: request.form[key] for key in TEXT_ARGS if key in request.form})
    if name == "vote.open":
        args["present"] = [int(v) for v in request.form.getlist("present") if v.isdigit()]
    return args


def _receipt(name: str, args: dict) -> None:
    """The web door's voter client is the browser: its receipts stay in its session cookie, never on the server."""
    if name == "vote.cast":
        args["receipt"] = new_receipt()
    elif name == "vote.change":
        args["receipt"] = session.get("vote_receipts", {}).get(str(args.get("vote_id")), "")


def _keep_receipt(name: str, args: dict) -> None:
    """Once the vote is committed, the browser keeps its receipt to change the vote later."""
    if name == "vote.cast":
        session.setdefault("vote_receipts", {})[str(args.get("vote_id"))] = args["receipt"]
        session.modified = True


@bp.post("/<int:meeting_id>/negotiation")
@login_required
def act(meeting_id: int):
    """Run a negotiation command from a plain form: the same domain function as the live door."""
    meeting = room_views.watched_meeting(meeting_id)
    name = request.form.get("name", "")
    item_id = request.form.get("back_item", type=int)
    back = (url_for("negotiation.show", meeting_id=meeting.id, item_id=item_id) if item_id
            else url_for("meetings.show", meeting_id=meeting.id))
    if not name.startswith(PREFIXES):
        abort(400)
    try:
        args = _args(name)
        _receipt(name, args)
        meeting_services.run_command(meeting.id, current_user, name, args, request.form.get("command_id") or None)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back), 303
    db.session.commit()
    _keep_receipt(name, args)
    flash("C’est fait.", "success")
    return redirect(back)
