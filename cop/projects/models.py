"""The project registry of a COP: plants and sites several parties may pledge on, sealed until announced."""
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.seals.models import SealedMixin

if TYPE_CHECKING:
    from cop.conferences.models import Party
    from cop.reference.models import Sector
    from cop.territories.models import Commune


class Project(SealedMixin, db.Model):
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
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    party: Mapped["Party"] = relationship()
    sector: Mapped["Sector"] = relationship()
    commune: Mapped[Optional["Commune"]] = relationship()
