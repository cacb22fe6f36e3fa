"""The columns every sealable table carries (projects, commitments, registry sites)."""
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db

if TYPE_CHECKING:
    from cop.conferences.models import Conference


class SealedMixin:
    """Confidential until revealed: a reason and an announcement date published with a salted SHA-256 seal."""

    #: Confidential when registered; public again once revealed (revealed_dt).
    is_sealed: Mapped[bool] = mapped_column(default=False)
    #: Why it is confidential (published with the seal).
    seal_reason: Mapped[str] = mapped_column(Text, default="")
    #: The planned announcement date (published with the seal).
    announce_on: Mapped[Optional[date]] = mapped_column()
    #: Random salt (hex) and SHA-256 (hex) of the canonical JSON of the hidden content with that salt.
    seal_salt: Mapped[Optional[str]] = mapped_column(String(64))
    seal_digest: Mapped[Optional[str]] = mapped_column(String(64))
    #: When the holder was warned that the presidency will reveal it at its announcement date.
    warned_dt: Mapped[Optional[datetime]] = mapped_column()
    revealed_dt: Mapped[Optional[datetime]] = mapped_column()
    revealed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))

    @property
    def seal_conference(self) -> "Conference":
        """The COP the sealed object belongs to (the rulebook's subject; an object not yet flushed has it too)."""
        from cop.conferences.models import Conference

        return db.session.get(Conference, self.conference_id)

    @property
    def seal_unpublished(self) -> bool:
        """Nothing of it was published yet, so it may still be sealed."""
        from cop.seals import kinds

        return kinds.of(self).unpublished(self)

    @property
    def is_hidden(self) -> bool:
        """Sealed and not yet revealed: only what is counted, the seal, its reason and date are public."""
        return bool(self.is_sealed) and self.revealed_dt is None

    @property
    def is_revealed(self) -> bool:
        """Sealed once, revealed since: anyone can check the content against the seal."""
        return bool(self.is_sealed) and self.revealed_dt is not None


class VaultMixin(SealedMixin):
    """A sealed object whose hidden fields are emptied in their own columns while sealed: the content waits in
    `seal_vault` (canonical JSON), which only cop/seals reads, so no page, export or feed can show it by mistake."""

    seal_vault: Mapped[Optional[str]] = mapped_column(Text)
