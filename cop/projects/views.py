"""The registry's pages: the public list, a project and its seal check, registering, revealing, reading sealed."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from cop import loaders
from cop.db import db
from cop.errors import DomainError
from cop.projects import bp, operations, queries
from cop.projects.forms import ProjectForm
from cop.projects.models import Project
from cop.reference.models import Sector
from cop.rulebook import may_all

bp.add_app_template_global(queries.label, "project_label")


@bp.get("/<int:conference_id>/projets")
def index(conference_id: int):
    """The registry: every project, sealed ones by their filière and seal only."""
    conference = loaders.get_conference(conference_id)
    items = queries.projects(conference)
    return render_template("projects/index.html", conference=conference,
                           projects=[queries.public_view(p) for p in items],
                           parties=queries.pledged_parties(conference))


def _show(conference, project, status=200, content=None):
    """A project's page for this reader (the sealed content only when it was just read)."""
    return render_template(
        "projects/show.html", conference=conference, p=queries.public_view(project),
        lines=queries.shares(conference).get(project.id, []), content=content,
        may=may_all(current_user, project, ("seal.reveal", "seal.reveal_due", "seal.read"), project)), status


@bp.get("/<int:conference_id>/projets/<int:number>")
def show(conference_id: int, number: int):
    """A project: its content, or its seal while it is sealed; after the reveal, the check of the seal."""
    conference = loaders.get_conference(conference_id)
    return _show(conference, queries.get_project(conference, number))


def _act(conference_id: int, number: int, action, done: str):
    """Run an operation on a project, commit, say so; on refusal roll back and show the page with the reason."""
    conference = loaders.get_conference(conference_id)
    project = queries.get_project(conference, number)
    try:
        action(current_user, project)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _show(conference, queries.get_project(conference, number), error.status)
    flash(done, "success")
    return redirect(url_for("projects.show", conference_id=conference.id, number=number))


@bp.post("/<int:conference_id>/projets/<int:number>/reveler")
@login_required
def reveal(conference_id: int, number: int):
    """The party announces its project."""
    return _act(conference_id, number, operations.reveal, _("Projet révélé : son contenu est publié."))


@bp.post("/<int:conference_id>/projets/<int:number>/reveler-a-date")
@login_required
def reveal_due(conference_id: int, number: int):
    """The presidency reveals a project at its announcement date."""
    return _act(conference_id, number, operations.reveal_due, _("Projet révélé : son contenu est publié."))


@bp.post("/<int:conference_id>/projets/<int:number>/lire")
@login_required
def read_sealed(conference_id: int, number: int):
    """Read a sealed project's content (recorded in the audit chain); shown once, never cached."""
    conference = loaders.get_conference(conference_id)
    project = queries.get_project(conference, number)
    try:
        content = operations.read_sealed(current_user, project)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _show(conference, project, error.status)
    page, status = _show(conference, project, content=content)
    return page, status, {"Cache-Control": "no-store"}


def _form(conference) -> ProjectForm:
    """The form with the filières to choose from."""
    form = ProjectForm()
    sectors = db.session.scalars(db.select(Sector).order_by(Sector.position))
    form.sector.choices = [SelectChoice(s.code, s.name) for s in sectors]
    return form


@bp.route("/<int:conference_id>/parties/<int:party_id>/projets/nouveau", methods=["GET", "POST"])
@login_required
def create(conference_id: int, party_id: int):
    """A party registers a project, sealed or not."""
    conference = loaders.get_conference(conference_id)
    party = loaders.get_party(conference, party_id)
    form, status = _form(conference), 200
    may = {**may_all(current_user, party, ("project.register",)),
           # Asked on the project about to be registered: the party's filers seal it, in the filing phases.
           **may_all(current_user, Project(conference_id=conference.id, party=party), ("seal.seal",))}
    if form.validate_on_submit():
        try:
            project = operations.register(
                current_user, party, sector_code=form.sector.data, name=form.name.data, siret=form.siret.data,
                commune=form.commune.data, description=form.description.data, sealed=form.sealed.data,
                reason=form.seal_reason.data, announce_on=form.announce_on.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            status = error.status
        else:
            flash(_("Projet n° %(n)s inscrit au registre.", n=project.number), "success")
            return redirect(url_for("projects.show", conference_id=conference.id, number=project.number))
    elif form.is_submitted():
        status = 422
    return render_template("projects/create.html", conference=conference, party=party, form=form, may=may), status
