"""The registry of ready-to-use industrial sites of a COP (proposal 3) and the commitments that rely on them."""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db, utcnow
from cop.rulebook.enums import check_in
from cop.seals.models import VaultMixin

if TYPE_CHECKING:
    from cop.commitments.models import Commitment
    from cop.territories.models import Commune


class SiteStatus(StrEnum):
    """Where a site stands, from brownfield to taken."""

    BROWNFIELD = "brownfield"
    REHABILITATING = "rehabilitating"
    READY = "ready"
    TAKEN = "taken"


class IcpeRegime(StrEnum):
    """The classified-installations regime the site is cleared for (installations classées)."""

    NONE = "none"
    DECLARATION = "declaration"
    REGISTRATION = "registration"
    AUTHORISATION = "authorisation"
    SEVESO_LOW = "seveso_low"
    SEVESO_HIGH = "seveso_high"


class SiteUse(StrEnum):
    """What a commitment does with a site."""

    REHABILITATES = "rehabilitates"
    USES = "uses"


class RegistrySite(VaultMixin, db.Model):
    """One industrial site of a COP's registry, with what an investor asks first. Sealed, its name, commune, owner
    and description wait in its vault (cop/sites/sealing.py); its département and figures stay public."""

    __tablename__ = "registry_site"
    __table_args__ = (CheckConstraint(check_in("status", SiteStatus), name="status"),
                      CheckConstraint(check_in("icpe", IcpeRegime), name="icpe"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: None only while the site is sealed (its commune is in the vault).
    commune_id: Mapped[Optional[int]] = mapped_column(ForeignKey("commune.id"), index=True)
    #: Copied from the commune so that the list groups and filters by département without a join.
    departement_code: Mapped[str] = mapped_column(String(4), index=True)
    hectares: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    status: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(200), default="")
    available_on: Mapped[Optional[date]] = mapped_column()
    #: Electrical power available on site, in megawatts (None: unknown).
    power_mw: Mapped[Optional[Decimal]] = mapped_column(Numeric(8, 2))
    rail_access: Mapped[bool] = mapped_column(default=False)
    port_access: Mapped[bool] = mapped_column(default=False)
    icpe: Mapped[str] = mapped_column(String(16), default=IcpeRegime.NONE.value)
    #: Hectares of natural or farm land whose artificialisation the site avoids (the ZAN count).
    land_take_avoided_ha: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    #: Bumped on every edit; an edit from an older copy is refused.
    version: Mapped[int] = mapped_column(default=1)
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(default=utcnow)

    commune: Mapped[Optional["Commune"]] = relationship()
    links: Mapped[list["SiteCommitment"]] = relationship(back_populates="site", cascade="all, delete-orphan",
                                                         order_by="SiteCommitment.id")

    __mapper_args__ = {"version_id_col": version}


class SiteCommitment(db.Model):
    """A commitment that rehabilitates or uses a registered site."""

    __tablename__ = "registry_site_commitment"
    __table_args__ = (UniqueConstraint("site_id", "commitment_id"),
                      CheckConstraint(check_in("use", SiteUse), name="use"))

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("registry_site.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitment.id"), index=True)
    use: Mapped[str] = mapped_column(String(16))
    created_dt: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[RegistrySite] = relationship(back_populates="links")
    commitment: Mapped["Commitment"] = relationship()
