"""Jinja filters and globals: Markdown, French numbers and dates, labels of codes."""
from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale, gettext

from cop import labels
from cop.markdown import render


def number(value, decimals: int = 0) -> str:
    """A number as a French reader writes it (narrow spaces between thousands)."""
    if value is None:
        return "—"
    if isinstance(value, (int, float, Decimal)) and decimals == 0:
        value = round(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern)


def day(value: date | datetime | None, fmt: str = "long") -> str:
    """A date in words ("26 novembre 2026", "26 November 2026"), with the time for a datetime."""
    if value is None:
        return "—"
    # The CLDR patterns are messages: "à" becomes "at", and English keeps the day before the month.
    if isinstance(value, datetime):
        return format_datetime(value, gettext("d MMMM y 'à' HH:mm"))
    return format_date(value, gettext("d MMMM y") if fmt == "long" else fmt)


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
    app.add_template_filter(accredited, "accredited")
    app.add_template_global(labels.phase, "phase_label")
    app.add_template_global(labels.role, "role_label")
    app.add_template_global(lambda code: str(labels.RULES_STATE_LABELS.get(code, code)), "rules_state_label")
    app.add_template_global(labels.accreditation_moves, "accreditation_moves")
    app.add_template_global(labels.PHASE_LABELS, "PHASE_LABELS")
    app.add_template_global(lambda: str(get_locale() or "fr"), "current_locale_code")
