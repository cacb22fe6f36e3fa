"""Sites: the public filterable list (grouped by département), a site's page, the managers' forms."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from cop import loaders
from cop.commitments.models import Commitment
from cop.conferences.forms import CsrfForm
from cop.conferences.models import Party
from cop.db import db
from cop.errors import DomainError
from cop.pagination import paginate
from cop.reference.models import Sector
from cop.rulebook import allowed, may_all
from cop.seals import kinds as seal_kinds, views as seal_views
from cop.sites import bp, labels, operations, queries
from cop.sites.forms import LinkForm, SiteForm

PER_PAGE = 25


@bp.context_processor
def site_labels() -> dict:
    """The registry's words."""
    return {"site_status_labels": labels.STATUS_LABELS, "icpe_labels": labels.ICPE_LABELS,
            "site_use_labels": labels.USE_LABELS}


@bp.get("/<int:conference_id>/sites")
def index(conference_id: int):
    """Public: the registry, filtered by a GET form, paginated, grouped by département."""
    conference = loaders.get_conference(conference_id)
    filters = queries.parse_filters(request.args)
    page = paginate(queries.filtered(conference.id, filters), per_page=PER_PAGE)
    kept = {k: v for k, v in request.args.lists() if k != "page"}
    return render_template("sites/index.html", conference=conference, page=page, filters=filters, kept=kept,
                           departements=queries.departements(conference.id),
                           names=queries.departement_names(s.departement_code for s in page.items),
                           may=may_all(current_user, conference, ("site.register",)))


def _commitment_choices(conference_id: int) -> list[SelectChoice]:
    """The filed commitments of the COP, as « party — filière »."""
    rows = db.session.execute(
        select(Commitment.id, Party.name, Sector.name).join(Party, Party.id == Commitment.party_id)
        .join(Sector, Sector.id == Commitment.sector_id)
        .where(Commitment.conference_id == conference_id, Commitment.status != "draft")
        .order_by(Party.name, Sector.position))
    return [SelectChoice(cid, f"{party} — {sector}") for cid, party, sector in rows]


def _show(conference, site, link_form=None, status: int = 200):
    """A site's page."""
    link_form = link_form or LinkForm()
    link_form.commitment_id.choices = _commitment_choices(conference.id)
    return render_template("sites/show.html", conference=conference, site=site, link_form=link_form,
                           seal=seal_views.card(site),
                           departement=queries.departement_names([site.departement_code]).get(site.departement_code),
                           may=may_all(current_user, conference, ("site.register",))), status


@bp.get("/<int:conference_id>/sites/<int:site_id>")
def show(conference_id: int, site_id: int):
    """Public: one site, its specifications and the commitments that rehabilitate or use it."""
    conference = loaders.get_conference(conference_id)
    return _show(conference, queries.get_site(conference.id, site_id))


def _edit(conference, form: SiteForm, site=None, status: int = 200):
    """The form page."""
    return render_template("sites/edit.html", conference=conference, form=form, site=site), status


@bp.route("/<int:conference_id>/sites/nouveau", methods=["GET", "POST"])
@login_required
def create(conference_id: int):
    """The managers register a site."""
    conference = loaders.get_conference(conference_id)
    allowed("site.register", current_user, conference)
    form = SiteForm()
    if not form.validate_on_submit():
        return _edit(conference, form, status=422 if form.is_submitted() else 200)
    data = form.to_input(conference.region.code)
    if data is None:
        return _edit(conference, form, status=422)
    try:
        site = operations.register(current_user, conference, data, sealed=form.sealed.data,
                                   reason=form.seal_reason.data or "", announce_on=form.announce_on.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _edit(conference, form, status=error.status)
    db.session.commit()
    flash(_("Site « %(name)s » inscrit au registre.", name=seal_kinds.of(site).title(site)), "success")
    return redirect(url_for("sites.show", conference_id=conference.id, site_id=site.id))


@bp.route("/<int:conference_id>/sites/<int:site_id>/modifier", methods=["GET", "POST"])
@login_required
def update(conference_id: int, site_id: int):
    """The managers edit a site from a fresh copy."""
    conference = loaders.get_conference(conference_id)
    allowed("site.register", current_user, conference)
    site = queries.get_site(conference.id, site_id)
    allowed("site.register", current_user, conference, site)
    form = SiteForm(obj=site) if request.method == "GET" else SiteForm()
    if request.method == "GET":
        form.commune.data = f"{site.commune.name} ({site.commune.code})"
        form.seen.data = str(site.version)
        for name in ("hectares", "power_mw", "land_take_avoided_ha"):
            value = getattr(site, name)
            getattr(form, name).data = "" if value is None else format(value.normalize(), "f")
    if not form.validate_on_submit():
        return _edit(conference, form, site, status=422 if form.is_submitted() else 200)
    data = form.to_input(conference.region.code)
    if data is None:
        return _edit(conference, form, site, status=422)
    try:
        seen = int(form.seen.data) if (form.seen.data or "").isdecimal() else -1
        operations.update(current_user, site, seen, data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _edit(conference, form, site, status=error.status)
    db.session.commit()
    flash(_("Site « %(name)s » modifié.", name=site.name), "success")
    return redirect(url_for("sites.show", conference_id=conference.id, site_id=site.id))


@bp.post("/<int:conference_id>/sites/<int:site_id>/liens")
@login_required
def link(conference_id: int, site_id: int):
    """The managers tie a filed commitment to the site."""
    conference = loaders.get_conference(conference_id)
    allowed("site.register", current_user, conference)
    site = queries.get_site(conference.id, site_id)
    form = LinkForm()
    form.commitment_id.choices = _commitment_choices(conference.id)
    if not form.validate_on_submit():
        return _show(conference, site, form, 422)
    try:
        operations.link(current_user, site, form.commitment_id.data, form.use.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _show(conference, queries.get_site(conference.id, site_id), form, error.status)
    db.session.commit()
    flash(_("Engagement lié au site."), "success")
    return redirect(url_for("sites.show", conference_id=conference.id, site_id=site.id))


@bp.post("/<int:conference_id>/sites/<int:site_id>/liens/<int:link_id>/retirer")
@login_required
def unlink(conference_id: int, site_id: int, link_id: int):
    """The managers remove a link."""
    conference = loaders.get_conference(conference_id)
    allowed("site.register", current_user, conference)
    site = queries.get_site(conference.id, site_id)
    if not CsrfForm().validate_on_submit():
        return _show(conference, site, status=400)
    operations.unlink(current_user, site, link_id)
    db.session.commit()
    flash(_("Lien retiré."), "success")
    return redirect(url_for("sites.show", conference_id=conference.id, site_id=site.id))
