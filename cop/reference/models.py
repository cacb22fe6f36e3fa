"""Reference data: the filières and the indicators targets are counted in."""
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db
from cop.extensions import reader_locale

AGGREGATIONS = ("sum",)


def in_english() -> bool:
    """Whether the reader (page, live connection) reads English; French outside an app context."""
    locale = reader_locale()
    return locale is not None and locale.language == "en"


def reader_name(name_fr: str, name_en: str | None) -> str:
    """A reference name in the reader's language: the English one when there is one and the reader reads English."""
    return name_en if name_en and in_english() else name_fr


class Bilingual:
    """A reference row named in French (the column `name`, used by SQL and frozen documents) and in English;
    `.name` on a row is the reader's language, `.name` in a query is the French column."""

    @hybrid_property
    def name(self) -> str:
        return reader_name(self.name_fr, self.name_en)

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.name_fr = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls):
        return cls.name_fr


class Sector(Bilingual, db.Model):
    """A filière: one of the 19 national strategic committees, or a regional addition."""

    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable slug used in URLs, the API and CSV files.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: The French name (column "name"); read `.name` for the reader's language.
    name_fr: Mapped[str] = mapped_column("name", String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)
    #: Set for a regional addition; None for the national committees.
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"))


class Indicator(Bilingual, db.Model):
    """What a target or a pledge is counted in, with its unit and how it adds up."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    #: The French name (column "name"); read `.name` for the reader's language.
    name_fr: Mapped[str] = mapped_column("name", String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: Unit as French readers see it: "emplois", "€", "ha", "tCO2e"… (column "unit"); `.unit` follows the reader.
    unit_fr: Mapped[str] = mapped_column("unit", String(32))
    unit_en: Mapped[str] = mapped_column(String(32), default="", server_default="")
    #: How pledges of several parties combine; "sum" for every indicator so far.
    aggregation: Mapped[str] = mapped_column(String(16), default="sum")
    #: Decimal places shown.
    decimals: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(500), default="")

    @hybrid_property
    def unit(self) -> str:
        return self.unit_en if self.unit_en and in_english() else self.unit_fr

    @unit.inplace.setter
    def _unit_setter(self, value: str) -> None:
        self.unit_fr = value

    @unit.inplace.expression
    @classmethod
    def _unit_expression(cls):
        return cls.unit_fr
