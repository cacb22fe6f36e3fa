"""The project registry of a COP: plants and sites several parties may pledge on, sealed until announced."""
from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow

if TYPE_CHECKING:
    from cop.conferences.models import Party
    from cop.reference.models import Sector
    from cop.territories.models import Commune


class Project(db.Model):
    """One industrial project (a plant, a site) of a COP; a sealed one shows only its filière and its seal."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    #: 1, 2, 3… within the COP: the public reference of a project, sealed or not.
    number: Mapped[int] = mapped_column()
    #: The party that registered it (and alone seals or reveals it).
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id"), index=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"), index=True)
    #: Hidden while sealed: name, establishment SIRET, commune, description.
    name: Mapped[str] = mapped_column(String(200))
    siret: Mapped[Optional[str]] = mapped_column(String(14), index=True)
    commune_id: Mapped[Optional[int]] = mapped_column(ForeignKey("commune.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Confidential when registered; public again once revealed (revealed_dt).
    is_sealed: Mapped[bool] = mapped_column(default=False)
    #: Why it is confidential (published with the seal).
    seal_reason: Mapped[str] = mapped_column(Text, default="")
    #: The planned announcement date (published with the seal).
    announce_on: Mapped[Optional[date]] = mapped_column()
    #: Random salt (hex) and SHA-256 (hex) of the canonical JSON of the hidden content with that salt.
    seal_salt: Mapped[Optional[str]] = mapped_column(String(64))
    seal_digest: Mapped[Optional[str]] = mapped_column(String(64))
    #: When the party was warned that the presidency will reveal the project at its announcement date.
    warned_dt: Mapped[Optional[datetime]] = mapped_column()
    revealed_dt: Mapped[Optional[datetime]] = mapped_column()
    revealed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped["Party"] = relationship()
    sector: Mapped["Sector"] = relationship()
    commune: Mapped[Optional["Commune"]] = relationship()

    @property
    def is_hidden(self) -> bool:
        """Sealed and not yet revealed: only the filière, the seal, its reason and date are public."""
        return self.is_sealed and self.revealed_dt is None

    @property
    def is_revealed(self) -> bool:
        """Sealed once, revealed since: anyone can check the content against the seal."""
        return self.is_sealed and self.revealed_dt is not None
