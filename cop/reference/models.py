"""Reference data: the filières and the indicators targets are counted in."""
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cop.db import db

AGGREGATIONS = ("sum",)


class Sector(db.Model):
    """A filière: one of the 19 national strategic committees, or a regional addition."""

    __tablename__ = "sector"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable slug used in URLs, the API and CSV files.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    #: Set for a regional addition; None for the national committees.
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("territory.id"))


class Indicator(db.Model):
    """What a target or a pledge is counted in, with its unit and how it adds up."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Unit as shown to readers: "emplois", "€", "ha", "tCO2e"…
    unit: Mapped[str] = mapped_column(String(32))
    #: How pledges of several parties combine; "sum" for every indicator so far.
    aggregation: Mapped[str] = mapped_column(String(16), default="sum")
    #: Decimal places shown.
    decimals: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(String(500), default="")
