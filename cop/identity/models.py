"""A COP's identity, set by its presidency; what it leaves empty comes from the deployment's settings."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from cop.db import db, utcnow


class ConferenceIdentity(db.Model):
    """The organiser's name, logo (PNG re-encoded by the server), brand colour and contact for one COP."""

    __tablename__ = "conference_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), unique=True)
    organisation: Mapped[str] = mapped_column(String(160), default="")
    #: "#rrggbb", at least 4.5:1 against white (WCAG AA), or "" for the deployment's colour.
    colour: Mapped[str] = mapped_column(String(7), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    logo_png: Mapped[Optional[bytes]] = mapped_column(LargeBinary, deferred=True)
    #: First 16 hex digits of the logo's SHA-256: part of its URL, so a new logo is never served from a cache.
    logo_key: Mapped[str] = mapped_column(String(16), default="")
    logo_alt: Mapped[str] = mapped_column(String(160), default="")
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    #: `Conference.identity_row`, for a page that loads a COP with its identity in one statement (joinedload); the
    #: services read the row by its COP when the attribute was not loaded with it.
    conference = relationship("Conference", backref=backref("identity_row", uselist=False))
