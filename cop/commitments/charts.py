"""Geometry of the synthesis charts: one stacked bar per indicator (unconditional, conditional, remaining gap).

Each bar also carries its line's figures and sentences as the reader's language writes them (`Written`), written
once: the chart, its text description and the table under it show the same numbers, and the charts' words are
translated once per call, not at each chart and bar (a COP's page draws 19 charts and about 60 bars when its cache
is empty). Charts and bars are slotted classes, not dicts: Jinja reads `bar.x` as an attribute first, and a dict
answers each of a page's thousands of reads with an AttributeError before its item.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Optional

from markupsafe import Markup, escape

from cop.errors import N_
from cop.extensions import reader_translations
from cop.filters import number_writer

WIDTH = 600
BAR = 18
ROW = 58
TOP = 8


#: The charts' words and sentences (public/_chart_figure.html shows them), translated once per `by_sector`.
MESSAGES = {
    "caption": N_("Filière %(sector)s"),
    "title": N_("%(sector)s : engagements face à l’objectif régional"),
    "unconditional": N_("sans condition"),
    "conditional": N_("avec conditions"),
    "objective": N_("objectif"),
    "no_target": N_("sans objectif régional"),
    "shares": N_("%(unc)s %% de l’objectif sans condition, %(cond)s %% avec conditions"),
    "no_share": N_("Pas d’objectif régional pour cet indicateur"),
}


@dataclass(slots=True)
class Written:
    """One synthesis line's names, numbers and sentences in the reader's language."""

    name: str
    unit: str
    target: str
    unconditional: str
    conditional: str
    gap_unconditional: str
    gap_conditional: str
    parties: str
    #: What the chart's text description says of this bar.
    description: Markup
    #: The sentence under the bar: the shares of the target pledged without and with conditions.
    shares: Markup


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
    """One filière's chart: its bars top to bottom, its caption, title and text description."""

    sector: object
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    width: int = WIDTH
    bar_height: int = BAR
    caption: Markup = Markup("")
    title: Markup = Markup("")
    description: Markup = Markup("")


def _translated() -> dict[str, Markup]:
    """MESSAGES in the reader's language, as the templates' _() gives them: markup (a translation is trusted), with
    the values put in it escaped."""
    translate = reader_translations().ugettext
    # Safe (bandit B704): the platform's own catalogue messages, as Jinja's autoescaped _() treats them; every value
    # put in them goes through Markup's %, which escapes it (tests/test_charts.py checks names needing escaping).
    return {key: Markup(translate(message)) for key, message in MESSAGES.items()}  # nosec B704


def _written(row, share_unc: Optional[float], share_cond: Optional[float], words: dict[str, Markup],
             write: Callable[..., str]) -> Written:
    """A line's figures and sentences, written once (with `number_writer`: the templates' number filter)."""
    indicator = row.indicator
    decimals = indicator.decimals
    name, unit = indicator.name, indicator.unit
    target, unconditional, conditional = (write(row.target, decimals), write(row.unconditional, decimals),
                                          write(row.conditional, decimals))
    # Markup.format would escape the same way, at ten times the cost (a Python string.Formatter per field).
    said = (f"{escape(name)} : {escape(unconditional)} {escape(unit)} {words['unconditional']}, "
            f"{escape(conditional)} {words['conditional']}, ")
    said += f"{words['objective']} {escape(target)}. " if row.target is not None else f"{words['no_target']}. "
    description = Markup(said)  # nosec B704  (every value escaped, the words are translations: markup)
    shares = words["no_share"] if share_unc is None else \
        words["shares"] % {"unc": write(share_unc), "cond": write(share_cond)}
    return Written(name, unit, target, unconditional, conditional, write(row.gap_unconditional, decimals),
                   write(row.gap_conditional, decimals), write(row.parties), description, shares)


def _bar(row, y: int, words: dict[str, Markup], write: Callable[..., str]) -> Bar:
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
               _written(row, share_unc, share_cond, words, write))


def by_sector(rows) -> list[Chart]:
    """One chart per filière that has a target or a pledge, with its bars laid out top to bottom."""
    words, write = _translated(), number_writer()
    charts: dict[int, Chart] = {}
    for row in rows:
        chart = charts.get(row.sector.id)
        if chart is None:
            chart = charts[row.sector.id] = Chart(row.sector)
        chart.bars.append(_bar(row, TOP + ROW * len(chart.bars), words, write))
    for chart in charts.values():
        chart.height = TOP + ROW * len(chart.bars) + 4
        name = chart.sector.name
        chart.caption, chart.title = words["caption"] % {"sector": name}, words["title"] % {"sector": name}
        chart.description = Markup("").join(bar.text.description for bar in chart.bars)
    return list(charts.values())
