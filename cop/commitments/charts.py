"""Geometry of the synthesis charts: one stacked bar per indicator (unconditional, conditional, remaining gap).

Each bar also carries its line's figures as the reader's language writes them (`Written`), formatted once: the
chart, its text description and the table under it show the same numbers. Charts and bars are slotted classes, not
dicts: Jinja reads `bar.x` as an attribute first, and a dict answers each of a page's thousands of reads with an
AttributeError before its item.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from cop.filters import number

WIDTH = 600
BAR = 18
ROW = 58
TOP = 8


@dataclass(slots=True)
class Written:
    """One synthesis line's names and numbers in the reader's language (names and units follow it too)."""

    name: str
    unit: str
    target: str
    unconditional: str
    conditional: str
    gap_unconditional: str
    gap_conditional: str
    parties: str
    #: The shares of the target pledged without and with conditions, in percent (None without a target).
    share_unc: Optional[str]
    share_cond: Optional[str]


@dataclass(slots=True)
class Bar:
    """One indicator's bar: its line (`row`, a synthesis.Row), where it is drawn and its figures (`text`)."""

    row: object
    label_y: int
    bar_y: int
    text_y: int
    unc_w: float
    cond_x: float
    cond_w: float
    gap_x: float
    gap_w: float
    share_unc: Optional[float]
    share_cond: Optional[float]
    text: Written


@dataclass(slots=True)
class Chart:
    """One filière's chart: its bars top to bottom."""

    sector: object
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    width: int = WIDTH
    bar_height: int = BAR


def _written(row, share_unc: Optional[float], share_cond: Optional[float]) -> Written:
    """A line's figures formatted once (the number filter of the templates: same text)."""
    indicator = row.indicator
    decimals = indicator.decimals
    return Written(indicator.name, indicator.unit, number(row.target, decimals), number(row.unconditional, decimals),
                   number(row.conditional, decimals), number(row.gap_unconditional, decimals),
                   number(row.gap_conditional, decimals), number(row.parties),
                   None if share_unc is None else number(share_unc), None if share_cond is None else number(share_cond))


def _bar(row, y: int) -> Bar:
    """The segments of one bar, each scaled to the larger of the target and the pledges with conditions."""
    target = row.target or Decimal(0)
    scale = max(target, row.conditional)
    unit = Decimal(WIDTH) / scale if scale else Decimal(0)
    unc_w = float(row.unconditional * unit)
    cond_w = float((row.conditional - row.unconditional) * unit)
    gap_w = float(max(target - row.conditional, Decimal(0)) * unit)
    share_unc = float(row.unconditional / target * 100) if target else None
    share_cond = float(row.conditional / target * 100) if target else None
    return Bar(row, y + 12, y + 18, y + 50, round(unc_w, 1), round(unc_w, 1), round(cond_w, 1),
               round(unc_w + cond_w, 1), round(gap_w, 1), share_unc, share_cond,
               _written(row, share_unc, share_cond))


def by_sector(rows) -> list[Chart]:
    """One chart per filière that has a target or a pledge, with its bars laid out top to bottom."""
    charts: dict[int, Chart] = {}
    for row in rows:
        chart = charts.get(row.sector.id)
        if chart is None:
            chart = charts[row.sector.id] = Chart(row.sector)
        chart.bars.append(_bar(row, TOP + ROW * len(chart.bars)))
    for chart in charts.values():
        chart.height = TOP + ROW * len(chart.bars) + 4
    return list(charts.values())
