"""The publication stamp: one row whose token changes whenever published data changes."""
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db, utcnow


class PublicationStamp(db.Model):
    """A random token replaced by every transaction that writes public data; caches are keyed by it."""

    __tablename__ = "publication_stamp"

    #: Always 1: there is one stamp for the whole platform.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random hex token, new at every change (a counter could repeat after a restore or a truncation).
    token: Mapped[str] = mapped_column(String(32))
    changed_dt: Mapped[datetime] = mapped_column(default=utcnow)
