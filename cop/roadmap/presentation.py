"""Shaping the roadmap for reading: state labels, number and date filters, one row per party in a chapter."""
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Optional

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from cop.commitments import labels as commitment_labels
from cop.filters import day, number

ROADMAP_STATE_LABELS = {"draft": _l("Projet"), "submitted": _l("Soumise à la plénière"), "adopted": _l("Adoptée"),
                        "superseded": _l("Remplacée")}


def iso_day(raw: Optional[str]) -> str:
    """A date stored as ISO text in the roadmap's content, in words."""
    return day(date.fromisoformat(raw)) if raw else "—"


def amount(raw, decimals: int = 2) -> str:
    """A stored number (integer or decimal string) in French, with decimals only when it has some."""
    if raw is None:
        return "—"
    value = Decimal(str(raw))
    return number(value, 0 if value == value.to_integral_value() else decimals)


def party_rows(chapter: dict) -> list[dict]:
    """Per party of a chapter: pledges by indicator, support requested per funder, sites."""
    rows: dict = {}

    def row(party: int, name: str) -> dict:
        return rows.setdefault(party, {"party": party, "name": name, "pledges": {}, "version": None,
                                       "support": defaultdict(Decimal), "sites": []})

    for p in chapter["pledges"]:
        entry = row(p["party"], p["party_name"])
        entry["pledges"][p["indicator"]], entry["version"] = p, p["version"]
    for funder in chapter["support"]:
        for request in funder["requests"]:
            row(request["party"], request["party_name"])["support"][funder["funder"]] += Decimal(str(request["amount"]))
    for site in chapter["sites"]:
        row(site["party"], site["party_name"])["sites"].append(site)
    return sorted(rows.values(), key=lambda r: r["name"])


def pledge_total(pledge: dict) -> Decimal:
    """A pledge's unconditional and conditional values together."""
    return Decimal(str(pledge["unconditional"])) + Decimal(str(pledge["conditional"]))


def register(bp: Blueprint) -> None:
    """Make the labels, filters and helpers available to every template."""
    bp.add_app_template_global(ROADMAP_STATE_LABELS, "ROADMAP_STATE_LABELS")
    bp.add_app_template_global(party_rows, "roadmap_party_rows")
    bp.add_app_template_global(pledge_total, "pledge_total")
    bp.add_app_template_global(commitment_labels.funder, "funder_label")
    bp.add_app_template_global(commitment_labels.site_kind, "site_kind_label")
    bp.add_app_template_global(commitment_labels.site_status, "site_status_label")
    bp.add_app_template_filter(iso_day, "iso_day")
    bp.add_app_template_filter(amount, "amount")
