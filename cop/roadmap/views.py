"""Public pages of the roadmap: the document, its versions, what changed, signatures, downloads, signing."""
from typing import Optional

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop import permissions
from cop.loaders import get_conference
from cop.conferences.models import Conference
from cop.db import db
from cop.errors import DomainError, Invalid, NotFound
from cop.roadmap import acts, amendments, bp, documents, presentation, printing, signatures
from cop.roadmap.changes import changes
from cop.roadmap.forms import SignForm, act_input
from cop.roadmap.models import RoadmapVersion, SignatureAct
from cop.roadmap.services import roadmap_of
from cop.rulebook import require

PUBLIC_STATES = ("submitted", "adopted", "superseded")
presentation.register(bp)


def may_read_drafts(conference: Conference) -> bool:
    """Drafts are read by the COP's managers and its delegations; the public reads what went to the plenary."""
    return permissions.membership(current_user, conference) is not None or permissions.is_admin(current_user)


def visible_versions(conference: Conference) -> list[RoadmapVersion]:
    """The versions the current user may read, oldest first."""
    roadmap = roadmap_of(conference)
    versions = roadmap.versions if roadmap else []
    return versions if may_read_drafts(conference) else [v for v in versions if v.state in PUBLIC_STATES]


def get_version(conference: Conference, number: Optional[int]) -> Optional[RoadmapVersion]:
    """The version asked for, else the one in force, else the newest readable one; NotFound for a hidden one."""
    versions = visible_versions(conference)
    if number is not None:
        found = next((v for v in versions if v.number == number), None)
        if found is None:
            raise NotFound("Cette version de la feuille de route n’existe pas ou n’est pas publiée.")
        return found
    in_force = [v for v in versions if v.state == "adopted"]
    return (in_force or versions or [None])[-1]


def _page(conference: Conference, version: Optional[RoadmapVersion], status: int = 200, form=None):
    """Render the roadmap page of a version, with its signatures and what changed since the previous one."""
    versions = visible_versions(conference)
    previous = next((v for v in reversed(versions) if version and v.number < version.number), None)
    signed, missing = signatures.signatories(version) if version and version.is_frozen else ([], [])
    m = permissions.membership(current_user, conference)
    own_party = m.party if m is not None else None  # the rulebook says whether this member signs, and why not
    may_sign = signatures.may_sign(current_user, version, own_party) if version and own_party else None
    return render_template(
        "roadmap/show.html", conference=conference, version=version, versions=versions, previous=previous,
        changed=changes(previous.content, version.content) if previous else [], signed=signed, missing=missing,
        pdf_document=printing.stored(version) if version and version.is_frozen else None,
        may_sign=may_sign, own_party=own_party, form=form or SignForm(sha256=version.sha256 if version else ""),
        act_required=conference.signature_act_required, act_max_kb=acts.max_bytes() // 1024,
        chain=amendments.chain_of(version) if version and version.is_frozen else [],
        amendments=amendments.of_conference(conference),
        may_amend=amendments.may_request(current_user, own_party) if own_party else None,
        is_manager=permissions.can_manage_conference(current_user, conference)), status


@bp.get("/<int:conference_id>/feuille-de-route")
def show(conference_id: int):
    """The roadmap in force (or the version asked for with ?version=N)."""
    conference = get_conference(conference_id)
    number = request.args.get("version", type=int)
    return _page(conference, get_version(conference, number))


def _download(conference_id: int, number: int) -> RoadmapVersion:
    """A readable version for a download."""
    return get_version(get_conference(conference_id), number)


def _filename(version: RoadmapVersion, extension: str) -> str:
    """A download's file name, e.g. "feuille-de-route-COP-AURA-2027-v2.json"."""
    return f"feuille-de-route-{version.roadmap.conference.code}-v{version.number}.{extension}"


@bp.get("/<int:conference_id>/feuille-de-route/v<int:number>.json")
def download_json(conference_id: int, number: int):
    """The canonical JSON: for an adopted version, exactly the bytes whose SHA-256 is published."""
    version = _download(conference_id, number)
    response = Response(documents.json_bytes(version), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(version, "json")}"'
    if version.sha256:
        response.headers["X-Roadmap-SHA256"] = version.sha256
    return response


@bp.get("/<int:conference_id>/feuille-de-route/v<int:number>.csv")
def download_csv(conference_id: int, number: int):
    """The pledges of the version, one line each."""
    version = _download(conference_id, number)
    response = Response(documents.pledges_csv(version), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(version, "csv")}"'
    return response


@bp.get("/<int:conference_id>/feuille-de-route/v<int:number>.pdf")
def download_pdf(conference_id: int, number: int):
    """The print document as PDF."""
    version = _download(conference_id, number)
    pdf, sha256 = printing.pdf_of(version)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(version, "pdf")}"'
    if sha256:
        response.headers["X-Roadmap-PDF-SHA256"] = sha256
    return response


@bp.post("/<int:conference_id>/feuille-de-route/v<int:number>/signer")
@login_required
def sign(conference_id: int, number: int):
    """The head of delegation signs the adopted version for its party."""
    conference = get_conference(conference_id)
    version = get_version(conference, number)
    form = SignForm()
    m = permissions.membership(current_user, conference)
    try:
        if m is None or m.party is None:
            raise NotFound("Vous ne représentez aucune partie de cette COP.")
        require(signatures.may_sign(current_user, version, m.party))
        if not form.validate_on_submit():
            raise Invalid("Le formulaire de signature est incomplet (empreinte lue, mot de passe, acte) : relisez "
                          "la page avant de signer.")
        signatures.sign(current_user, version, m.party, form.sha256.data, password=form.password.data,
                        act=act_input(form), client=request.remote_addr or "?")
        db.session.commit()
    except signatures.PasswordRefused as error:
        db.session.commit()  # only the failed attempt was written (the password is checked first): it counts
        flash(error.message, "error")
        return _page(conference, version, error.status, form)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _page(conference, version, error.status, form)
    flash(_("« %(name)s » a signé la version %(number)s de la feuille de route.", name=m.party.name,
            number=version.number), "success")
    return redirect(url_for("roadmap.show", conference_id=conference.id, version=version.number))


@bp.get("/<int:conference_id>/feuille-de-route/v<int:number>/actes/<int:act_id>.pdf")
def download_act(conference_id: int, number: int, act_id: int):
    """The act behind a signature, exactly the bytes whose SHA-256 the page shows (refused if they changed)."""
    version = _download(conference_id, number)
    act = db.session.get(SignatureAct, act_id)
    if act is None or act.signature.version_id not in {v.id for v in amendments.chain_of(version)} | {version.id}:
        raise NotFound("Cet acte n’accompagne aucune signature de cette version.")
    response = Response(acts.stored_bytes(act), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{act.filename}"'
    response.headers["X-Act-SHA256"] = act.sha256
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
