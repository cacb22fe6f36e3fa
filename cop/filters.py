"""Jinja filters and globals: Markdown, French numbers and dates, labels of codes."""
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Callable

from babel.numbers import NumberPattern, parse_pattern

from flask import Flask
from flask_babel import format_date, format_datetime, format_percent, format_time, get_locale, gettext

from cop import labels
from cop.extensions import reader_locale
from cop.markdown import render


@lru_cache(maxsize=8)
def _number_pattern(decimals: int) -> NumberPattern:
    """The parsed pattern of a number with that many decimals (a synthesis page formats hundreds of numbers)."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


#: Numbers Babel and `_fast` must write alike for a locale to take the fast way (signs, rounding, grouping).
_PROBES = (Decimal("1234567.891"), Decimal("-1234.5"), Decimal("0.005"), Decimal("-0.001"), Decimal("999.995"),
           Decimal("1000"), Decimal("12"), 1234567, -1000, 0)


def _fast(value, decimals: int, symbols: tuple[str, str, str]) -> str:
    """Python's own formatting with the locale's group, decimal and minus signs (half-even, as Babel rounds)."""
    group, point, minus = symbols
    text = format(value if isinstance(value, (int, Decimal)) else Decimal(str(value)), f",.{decimals}f")
    return text.replace(",", "\0").replace(".", point).replace("\0", group).replace("-", minus)


@lru_cache(maxsize=8)
def _symbols(locale) -> tuple[str, str, str] | None:
    """The signs of a locale that groups by three like Python does, checked against Babel on probes; else None."""
    signs = locale.number_symbols["latn"]
    symbols = signs["group"], signs["decimal"], signs["minusSign"]
    for decimals in (0, 1, 2):
        for value in _PROBES:
            value = round(value) if decimals == 0 else value
            if _fast(value, decimals, symbols) != _number_pattern(decimals).apply(value, locale):
                return None
    return symbols


#: id of a locale → (the locale, kept so that its id is not reused; its `_symbols`): a dictionary lookup, where
#: `_symbols`'s cache hashes and compares the Locale (its name, built anew) at each of a page's hundreds of numbers.
_SYMBOLS_BY_ID: dict[int, tuple] = {}


def _symbols_of(locale) -> tuple[str, str, str] | None:
    """`_symbols(locale)`, found by the locale object's identity."""
    kept = _SYMBOLS_BY_ID.get(id(locale))
    if kept is None or kept[0] is not locale:
        if len(_SYMBOLS_BY_ID) > 16:
            _SYMBOLS_BY_ID.clear()
        kept = _SYMBOLS_BY_ID[id(locale)] = (locale, _symbols(locale))
    return kept[1]


def number(value, decimals: int = 0) -> str:
    """A number as a French reader writes it (narrow spaces between thousands)."""
    if value is None:
        return "—"
    locale = reader_locale()
    return _write(value, decimals, locale, _symbols_of(locale))


def number_writer() -> Callable[..., str]:
    """`number` for the reader's locale looked up once: write(value, decimals=0) gives the same text (for code that
    writes many numbers, as a COP's synthesis charts do)."""
    locale = reader_locale()
    symbols = _symbols_of(locale)

    def write(value, decimals: int = 0) -> str:
        return "—" if value is None else _write(value, decimals, locale, symbols)

    return write


def _write(value, decimals: int, locale, symbols: tuple[str, str, str] | None) -> str:
    """A number (not None) in that locale, with its `_symbols_of` (None: Babel's way)."""
    if isinstance(value, (int, float, Decimal)) and decimals == 0:
        value = round(value)
    if symbols is not None and isinstance(value, (int, Decimal)) and 0 <= decimals <= 6 \
            and (not isinstance(value, Decimal) or value.is_finite()):
        # Four times faster than Babel's NumberPattern.apply, the same text (a COP's synthesis has 700 numbers).
        return _fast(value, decimals, symbols)
    # flask_babel.format_decimal re-parses the pattern and the locale at each call: ten times slower, same text.
    return _number_pattern(decimals).apply(value, locale)


def day(value: date | datetime | None, fmt: str = "long") -> str:
    """A date in words ("26 novembre 2026", "26 November 2026"), with the time for a datetime."""
    if value is None:
        return "—"
    # The CLDR patterns are messages: "à" becomes "at", and English keeps the day before the month.
    if isinstance(value, datetime):
        return format_datetime(value, gettext("d MMMM y 'à' HH:mm"))
    return format_date(value, gettext("d MMMM y") if fmt == "long" else fmt)


def percent(value, decimals: int = 1) -> str:
    """A share given in percent (50.0) as the reader's language writes it: « 50 % », "50%", « 66,7 % »."""
    if value is None:
        return "—"
    pattern = get_locale().percent_formats[None].pattern
    last = pattern.rfind("0") + 1
    digits = "." + "#" * decimals if decimals else ""
    return format_percent(Decimal(str(value)) / 100, format=pattern[:last] + digits + pattern[last:])


def clock(value: datetime | str | None) -> str:
    """The time of day of a moment (an ISO string from the live state, or a datetime), in the COP's time zone."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_time(value, "HH:mm:ss")


def decision_reference(number: int, code: str) -> str:
    """"Décision 3/COP-AURA-2027", in the reader's language."""
    return gettext("Décision %(n)s/%(code)s", n=number, code=code)


def accredited(parties) -> list:
    """The accredited parties of a frozen roadmap's content (dicts with an "accreditation")."""
    return [p for p in parties if p["accreditation"] == "accredited"]


def duration(seconds) -> str:
    """Seconds in words: « 45 s », « 3 min », « 2 min 05 s »."""
    minutes, rest = divmod(int(round(seconds or 0)), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"


def init_app(app: Flask) -> None:
    """Register the filters and the label lookups on the app."""
    app.add_template_filter(render, "markdown")
    app.add_template_filter(number, "number")
    app.add_template_filter(day, "day")
    app.add_template_filter(duration, "duration")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(clock, "clock")
    from cop.commitments import chart_html  # it imports this module (through cop.commitments.charts)
    app.add_template_filter(chart_html.figure, "chart_figure")
    app.add_template_filter(chart_html.public_lines, "synthesis_lines")
    app.add_template_global(decision_reference, "decision_reference")
    app.add_template_filter(accredited, "accredited")
    app.add_template_global(labels.phase, "phase_label")
    app.add_template_global(labels.role, "role_label")
    app.add_template_global(lambda code: str(labels.RULES_STATE_LABELS.get(code, code)), "rules_state_label")
    app.add_template_global(labels.accreditation_moves, "accreditation_moves")
    app.add_template_global(labels.PHASE_LABELS, "PHASE_LABELS")
    app.add_template_global(lambda: str(get_locale() or "fr"), "current_locale_code")
