"""Publication stamps: one row per scope of published data, whose token changes whenever that data changes."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class PublicationStamp(db.Model):
    """A random token replaced by every transaction that writes data of its scope; caches are keyed by it."""

    __tablename__ = "publication_stamp"

    #: "global", "all", "cop:<id>", "cop:?" or "speaking" (see cop/public/scopes.py).
    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Random hex token, new at every change (a counter could repeat after a restore or a truncation).
    token: Mapped[str] = mapped_column(String(32))
    changed_dt: Mapped[datetime] = mapped_column(default=utcnow)
