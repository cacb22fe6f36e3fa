"""Regions, départements, EPCI and their member communes, from the official codes."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cop.db import db

#: "ept": an établissement public territorial of the Métropole du Grand Paris (its communes also belong to the
#: Métropole, their EPCI); it has a page but is not an EPCI à fiscalité propre and is never a party.
TERRITORY_KINDS = ("region", "departement", "epci", "ept")
LEGAL_FORMS = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
}
EPT_LEGAL_FORM = "EPT"


class Territory(db.Model):
    """A region (INSEE code), a département (INSEE code), an EPCI or an EPT (SIREN)."""

    __tablename__ = "territory"
    __table_args__ = (UniqueConstraint("kind", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "region", "departement", "epci" or "ept".
    kind: Mapped[str] = mapped_column(String(16), index=True)
    #: INSEE code for regions and départements, SIREN for EPCI and EPT.
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    #: Lower-case name without accents, for search.
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    #: CC, CA, CU or METRO for EPCI, EPT for an EPT; None otherwise.
    legal_form: Mapped[Optional[str]] = mapped_column(String(8))
    population: Mapped[int] = mapped_column(default=0)
    #: The region a département or an EPCI belongs to (by population for EPCI).
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"), index=True)

    region: Mapped[Optional["Territory"]] = relationship(remote_side=[id])

    @property
    def legal_form_label(self) -> str:
        """The legal form in words, or an empty string."""
        if self.legal_form == EPT_LEGAL_FORM:
            return "Établissement public territorial"
        return LEGAL_FORMS.get(self.legal_form or "", "")

    def __repr__(self) -> str:
        return f"<Territory {self.kind} {self.code} {self.name}>"


class Commune(db.Model):
    """A current commune, member of at most one EPCI."""

    __tablename__ = "commune"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: INSEE code.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    population: Mapped[int] = mapped_column(default=0)
    epci_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"), index=True)
    #: The établissement public territorial of the Métropole du Grand Paris the commune belongs to, if any.
    ept_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"), index=True)
    departement_code: Mapped[str] = mapped_column(String(4))
    region_code: Mapped[str] = mapped_column(String(4))

    epci: Mapped[Optional[Territory]] = relationship(foreign_keys=[epci_id])
    ept: Mapped[Optional[Territory]] = relationship(foreign_keys=[ept_id])
    postcodes: Mapped[list["CommunePostcode"]] = relationship(
        back_populates="commune", order_by="CommunePostcode.postcode"
    )


class CommunePostcode(db.Model):
    """One postcode of a commune (a commune may have several, and a postcode several communes)."""

    __tablename__ = "commune_postcode"
    __table_args__ = (
        UniqueConstraint("commune_id", "postcode"),
        Index("ix_commune_postcode_postcode", "postcode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id", ondelete="CASCADE"))
    postcode: Mapped[str] = mapped_column(String(5))

    commune: Mapped[Commune] = relationship(back_populates="postcodes")


class Arrondissement(db.Model):
    """An arrondissement municipal of Paris, Lyon or Marseille (INSEE 75101–75120, 69381–69389, 13201–13216)."""

    __tablename__ = "commune_arrondissement"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: INSEE code of the arrondissement.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    #: "Paris 15e Arrondissement", as the INSEE writes it.
    name: Mapped[str] = mapped_column(String(200))
    population: Mapped[int] = mapped_column(default=0)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id", ondelete="CASCADE"), index=True)

    commune: Mapped[Commune] = relationship()
