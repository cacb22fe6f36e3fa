"""The fair shares page: the method in force, its formula and data, each party's share; the presidency's form."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import loaders
from cop.db import db
from cop.errors import DomainError, Invalid
from cop.fairshare import bp, compute, operations
from cop.fairshare.figures_csv import FiguresRefused
from cop.fairshare.forms import METHOD_LABELS, BasisForm
from cop.rulebook import allowed, may_all

SEP = "__"


def _chosen(shares: compute.FairShares):
    """The target asked for (?cible=<filière>__<indicateur>), else the first; None when there is none."""
    wanted = request.args.get("cible", "")
    for target in shares.targets:
        if f"{target.sector.code}{SEP}{target.indicator.code}" == wanted:
            return target
    if wanted:
        raise Invalid("Cet objectif régional n’existe pas dans cette COP.")
    return shares.targets[0] if shares.targets else None


def _render(conference, form: BasisForm, problems=(), status: int = 200):
    """The page, with the form as posted after a refusal."""
    shares = compute.compute(conference)
    if not form.is_submitted():
        form.seen.data = str(shares.basis.number if shares.basis else 0)
        form.method.data = shares.method
    return render_template(
        "fairshare/show.html", conference=conference, shares=shares, chosen=_chosen(shares), form=form,
        problems=problems, versions=operations.versions(conference.id), method_labels=METHOD_LABELS, sep=SEP,
        may=may_all(current_user, conference, ("fair_share.set",))), status


@bp.get("/<int:conference_id>/parts-indicatives")
def show(conference_id: int):
    """Public: how the regional targets are shared as an indication, with the data behind it."""
    return _render(loaders.get_conference(conference_id), BasisForm())


@bp.post("/<int:conference_id>/parts-indicatives")
@login_required
def update(conference_id: int):
    """The presidency puts a new method in force; a file with one bad line changes nothing."""
    conference = loaders.get_conference(conference_id)
    allowed("fair_share.set", current_user, conference)
    form = BasisForm()
    if not form.validate_on_submit():
        return _render(conference, form, status=422)
    upload = form.file.data
    try:
        seen = int(form.seen.data or 0) if (form.seen.data or "0").isdecimal() else -1
        basis = operations.set_basis(
            current_user, conference, form.method.data, seen=seen, note=form.note.data or "",
            data=upload.read() if upload else None, filename=upload.filename if upload else "",
            weights=form.weights.data or "")
    except FiguresRefused as refused:
        db.session.rollback()
        return _render(conference, form, refused.problems, 422)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _render(conference, form, status=error.status)
    db.session.commit()
    flash(_("Méthode de répartition enregistrée (version %(n)s).", n=basis.number), "success")
    return redirect(url_for("fairshare.show", conference_id=conference.id))
