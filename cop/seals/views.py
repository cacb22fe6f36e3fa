"""The seals' pages: the list of a COP's seals, a seal with its check in the browser once revealed, and the
actions (seal a commitment before it is filed, reveal, reveal at the date, read before the reveal — audited)."""
import json

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import loaders
from cop.commitments import queries as commitment_queries
from cop.db import db
from cop.errors import DomainError
from cop.rulebook import may_all
from cop.seals import digest, kinds, operations
from cop.seals.forms import SealForm

bp = Blueprint("seals", __name__, url_prefix="/cop")

ACTIONS = ("seal.reveal", "seal.reveal_due", "seal.read")


def card(obj) -> dict:
    """What anyone may read of an object's seal (never the hidden content), with where to check it."""
    kind = kinds.of(obj)
    view = {"kind": kind.code, "slug": kind.slug, "ref": kind.ref(obj), "title": kind.title(obj),
            "sealed": bool(obj.is_sealed), "hidden": obj.is_hidden, "seal": obj.seal_digest,
            "reason": obj.seal_reason, "announce_on": obj.announce_on, "revealed_at": obj.revealed_dt,
            "page": kind.url(obj)}
    if obj.is_sealed:
        view["url"] = url_for("seals.show", conference_id=obj.conference_id, slug=kind.slug, ref=kind.ref(obj))
    if obj.is_revealed:
        view["salt"] = obj.seal_salt
        view["sealed_text"] = digest.sealed_text(obj.seal_salt, kind.content(obj))
    return view


def all_seals(conference) -> list[dict]:
    """Every seal of the COP (projects, commitments, sites), by announcement date."""
    found = []
    for kind in kinds.all_kinds():
        model = kind.model
        found += db.session.scalars(db.select(model).where(model.conference_id == conference.id,
                                                           model.is_sealed.is_(True))).all()
    return [card(o) for o in sorted(found, key=lambda o: (o.announce_on, kinds.of(o).code, o.id))]


@bp.get("/<int:conference_id>/sceaux")
def index(conference_id: int):
    """Every seal of the COP: what is sealed, why, until when, its SHA-256; revealed ones link to their check."""
    conference = loaders.get_conference(conference_id)
    return render_template("seals/index.html", conference=conference, seals=all_seals(conference))


def _show(conference, obj, status=200, content=None):
    text = json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) if content is not None else None
    return render_template("seals/show.html", conference=conference, s=card(obj), content=text,
                           may=may_all(current_user, obj, ACTIONS, obj)), status


@bp.get("/<int:conference_id>/sceaux/<slug>/<int:ref>")
def show(conference_id: int, slug: str, ref: int):
    """A seal: its reason and date; once revealed, the sealed text and its SHA-256 recomputed in the browser."""
    conference = loaders.get_conference(conference_id)
    return _show(conference, operations.get(conference, slug, ref))


def _act(conference_id: int, slug: str, ref: int, action):
    """Run a reveal on a sealed object, commit, say so; on refusal roll back and show the page with the reason."""
    conference = loaders.get_conference(conference_id)
    obj = operations.get(conference, slug, ref)
    try:
        action(current_user, obj)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _show(conference, operations.get(conference, slug, ref), error.status)
    flash(_("Contenu révélé : il est publié, et chacun peut le comparer à son sceau."), "success")
    return redirect(url_for("seals.show", conference_id=conference.id, slug=slug, ref=ref))


@bp.post("/<int:conference_id>/sceaux/<slug>/<int:ref>/reveler")
@login_required
def reveal(conference_id: int, slug: str, ref: int):
    """The holder announces it."""
    return _act(conference_id, slug, ref, operations.reveal)


@bp.post("/<int:conference_id>/sceaux/<slug>/<int:ref>/reveler-a-date")
@login_required
def reveal_due(conference_id: int, slug: str, ref: int):
    """The presidency reveals it at its announcement date."""
    return _act(conference_id, slug, ref, operations.reveal_due)


@bp.post("/<int:conference_id>/sceaux/<slug>/<int:ref>/lire")
@login_required
def read_sealed(conference_id: int, slug: str, ref: int):
    """Read a sealed content (recorded in the audit chain); shown once, never cached."""
    conference = loaders.get_conference(conference_id)
    obj = operations.get(conference, slug, ref)
    try:
        content = operations.read_sealed(current_user, obj)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _show(conference, obj, error.status)
    page, status = _show(conference, obj, content=content)
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/<int:conference_id>/engagements/<int:commitment_id>/sceller")
@login_required
def seal_commitment(conference_id: int, commitment_id: int):
    """The party seals its commitment before filing it."""
    conference = loaders.get_conference(conference_id)
    commitment = commitment_queries.get_commitment(conference, commitment_id, current_user)
    form = SealForm()
    if not form.validate_on_submit():
        return render_template("seals/seal.html", conference=conference, commitment=commitment, form=form), 422
    try:
        operations.seal(current_user, commitment, form.seal_reason.data or "", form.announce_on.data)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template("seals/seal.html", conference=conference, commitment=commitment,
                               form=form), error.status
    flash(_("Engagement scellé : ses textes et ses lieux resteront confidentiels jusqu’à leur annonce."), "success")
    return redirect(url_for("commitments.show", conference_id=conference.id, commitment_id=commitment_id))


@bp.get("/<int:conference_id>/engagements/<int:commitment_id>/sceller")
@login_required
def seal_commitment_form(conference_id: int, commitment_id: int):
    """The form sealing a commitment (its party, before filing)."""
    conference = loaders.get_conference(conference_id)
    commitment = commitment_queries.get_commitment(conference, commitment_id, current_user)
    from cop.rulebook import allowed

    allowed("seal.seal", current_user, commitment, commitment)
    return render_template("seals/seal.html", conference=conference, commitment=commitment, form=SealForm())
