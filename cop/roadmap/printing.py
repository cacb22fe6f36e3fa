"""The adopted roadmap's PDF: rendered once, after the adoption commits, in a background thread; stored with its
SHA-256 and served from the stored bytes, checked against that hash. Drafts are rendered on demand."""
import hashlib
import logging
import threading
from typing import Optional

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cop.db import db
from cop.errors import Unavailable
from cop.roadmap import documents
from cop.roadmap.models import RoadmapDocument, RoadmapVersion

log = logging.getLogger(__name__)
#: Session.info key: versions adopted in the transaction, rendered once it commits.
PENDING = "roadmap_pdf_pending"
#: Background renders started by this process (tests join them).
threads: list[threading.Thread] = []


def schedule(version: RoadmapVersion) -> None:
    """Ask for the version's PDF once the current transaction commits."""
    db.session.info.setdefault(PENDING, set()).add(version.id)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """Start one background render per version adopted in the transaction that just committed."""
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context() or not current_app.config.get("COP_ROADMAP_PDF_BACKGROUND", True):
        return
    app = current_app._get_current_object()
    for version_id in sorted(pending):
        thread = threading.Thread(target=_render_in_background, args=(app, version_id), daemon=True,
                                  name=f"roadmap-pdf-{version_id}")
        threads.append(thread)
        thread.start()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    """An adoption rolled back asks for nothing."""
    session.info.pop(PENDING, None)


def _render_in_background(app: Flask, version_id: int) -> None:
    """Render and store in an app context of its own; a failure is logged, the first download renders instead."""
    with app.app_context(), app.test_request_context(base_url=app.config["COP_BASE_URL"]):
        try:
            version = db.session.get(RoadmapVersion, version_id)
            if version is not None:
                store(version)
        except Exception:  # noqa: BLE001  (a background thread has nobody to raise to)
            log.exception("Roadmap PDF of version %s not rendered", version_id)
            db.session.rollback()
        finally:
            db.session.remove()


def stored(version: RoadmapVersion) -> Optional[RoadmapDocument]:
    """The stored PDF of the version, if it was rendered."""
    return db.session.scalar(db.select(RoadmapDocument).filter_by(version_id=version.id))


def store(version: RoadmapVersion) -> RoadmapDocument:
    """Render the frozen version's PDF and store it (if another process stored it first, keep that one)."""
    found = stored(version)
    if found is not None:
        return found
    pdf = documents.render_pdf(version)
    db.session.add(RoadmapDocument(version_id=version.id, pdf=pdf, size=len(pdf),
                                   sha256=hashlib.sha256(pdf).hexdigest()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return stored(version)


def pdf_of(version: RoadmapVersion) -> tuple[bytes, Optional[str]]:
    """The PDF bytes and their SHA-256: stored bytes (rendered now if missing) for a frozen version, fresh ones
    (no hash) for a draft; stored bytes that no longer match their hash are refused."""
    if not version.is_frozen:
        return documents.render_pdf(version), None
    document = stored(version) or store(version)
    if hashlib.sha256(document.pdf).hexdigest() != document.sha256:
        log.error("Stored roadmap PDF of version %s does not match its SHA-256", version.id)
        raise Unavailable("Le PDF enregistré de cette version ne correspond plus à son empreinte : il n’est pas "
                          "servi. Le JSON canonique reste disponible ; l’équipe technique est prévenue.")
    return document.pdf, document.sha256
