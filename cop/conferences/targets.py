"""Regional targets: the goal for each filière × indicator × year, edited as a table."""
import re
from decimal import Decimal
from itertools import groupby
from typing import Optional

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from cop.audit.services import record
from cop.auth.models import User
from cop.conferences.models import Conference, Target
from cop.db import db
from cop.rulebook import allowed, allowed_phases
from cop.errors import Conflict, Invalid, NotFound
from cop.numbers import AmbiguousNumber, parse_decimal
from cop.reference.models import Indicator, Sector

EDITABLE_PHASES = allowed_phases("targets.set")
VALUE_RE = re.compile(r"\d{1,15}(\.\d{1,2})?")
Cell = tuple[str, str]


def parse_value(raw: Optional[str]) -> Optional[Decimal]:
    """A value typed the French way ("1 200,5"); None for an empty cell; ValueError when it is not one."""
    try:
        value = parse_decimal(raw)
    except AmbiguousNumber:
        raise
    except ValueError:
        raise ValueError("un nombre positif est attendu, deux décimales au plus") from None
    if value is None:
        return None
    if value < 0:
        raise ValueError("valeur négative")
    if not VALUE_RE.fullmatch(format(value, "f")):
        raise ValueError("un nombre positif est attendu, deux décimales au plus")
    return value


def format_value(value: Optional[Decimal]) -> str:
    """A stored value as the editor shows it ("1 200", "12,5"); empty for none."""
    if value is None:
        return ""
    whole, _, decimals = format(value.normalize(), "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return f"{grouped},{decimals}" if decimals else grouped


def targets_for_year(conference: Conference, year: int) -> dict[Cell, Target]:
    """The targets of one year, keyed by (filière code, indicator code)."""
    rows = db.session.scalars(
        db.select(Target).filter_by(conference_id=conference.id, year=year)
        .options(joinedload(Target.sector), joinedload(Target.indicator))
    )
    return {(t.sector.code, t.indicator.code): t for t in rows}


def targets_by_sector(conference: Conference) -> list[tuple[Sector, list[Target]]]:
    """Every target of a COP grouped by filière, in the reference order."""
    rows = db.session.scalars(
        db.select(Target).join(Target.sector).join(Target.indicator).filter(Target.conference_id == conference.id)
        .options(contains_eager(Target.sector), contains_eager(Target.indicator))
        .order_by(Sector.position, Indicator.position, Target.year)
    ).all()
    return [(sector, list(items)) for sector, items in groupby(rows, key=lambda t: t.sector)]


def check_year(conference: Conference, year: int) -> None:
    """A target year lies between the edition and the horizon."""
    if not conference.edition_year <= year <= conference.horizon_year:
        raise Invalid(f"L'année d'un objectif doit être comprise entre {conference.edition_year} "
                      f"et {conference.horizon_year} (horizon de la COP).")


def _resolve(cells: dict) -> tuple[dict[str, Sector], dict[str, Indicator]]:
    """The filières and indicators named by the cells; NotFound for an unknown code."""
    sectors = {s.code: s for s in db.session.scalars(db.select(Sector))}
    indicators = {i.code: i for i in db.session.scalars(db.select(Indicator))}
    for kind, known, position in (("Filière", sectors, 0), ("Indicateur", indicators, 1)):
        unknown = sorted({cell[position] for cell in cells} - known.keys())
        if unknown:
            raise NotFound(f"{kind} inconnu{'e' if kind == 'Filière' else ''} : « {unknown[0]} ». "
                           "Aucun objectif n'a été enregistré.")
    return sectors, indicators


def _parse_cells(cells: dict, sectors: dict, indicators: dict) -> dict[Cell, Optional[Decimal]]:
    """Every cell's value, or Invalid naming each bad one."""
    values, errors = {}, []
    for (sector, indicator), raw in cells.items():
        try:
            values[(sector, indicator)] = parse_value(raw)
        except ValueError as error:
            errors.append(f"{sectors[sector].name} × {indicators[indicator].name} : « {raw} » refusé ({error})")
    if errors:
        raise Invalid("Valeurs refusées, aucun objectif n'a été enregistré. " + " ; ".join(errors[:5]) + ".")
    return values


def _check_unchanged(current: dict[Cell, Target], previous: dict, sectors: dict, indicators: dict) -> None:
    """Refuse the edit when a cell changed since the form was read, naming the cells."""
    stale = []
    for cell, raw in previous.items():
        stored = current[cell].value if cell in current else None
        try:
            seen = parse_value(raw)
        except ValueError:
            seen = None
        if seen != stored:
            stale.append(f"{sectors[cell[0]].name} × {indicators[cell[1]].name} "
                         f"(maintenant « {format_value(stored) or 'vide'} »)")
    if stale:
        raise Conflict("Des objectifs ont été modifiés depuis l'ouverture du tableau : " + " ; ".join(stale[:5])
                       + ". Rien n'a été enregistré : rechargez la page.")


def set_targets(user: User, conference: Conference, year: int, cells: dict[Cell, str],
                previous: Optional[dict[Cell, str]] = None) -> int:
    """Write one year's table of targets (an empty cell removes a target); return how many changed."""
    allowed("targets.set", user, conference)
    check_year(conference, year)
    sectors, indicators = _resolve({**cells, **(previous or {})})
    values = _parse_cells(cells, sectors, indicators)
    current = targets_for_year(conference, year)
    _check_unchanged(current, previous or {}, sectors, indicators)
    changed = _apply(conference, year, values, current, sectors, indicators)
    if changed:
        record("conference.targets_set", "conference", conference.id, actor=user, conference_id=conference.id,
               data={"year": year, "cells": {f"{s}/{i}": v for (s, i), v in values.items()}})
    return changed


def _apply(conference, year, values, current, sectors, indicators) -> int:
    """Insert, update or delete the targets whose value differs; return how many changed."""
    changed = 0
    for cell, value in values.items():
        target = current.get(cell)
        if target is not None and value is None:
            db.session.delete(target)
        elif target is None and value is not None:
            db.session.add(Target(conference_id=conference.id, sector_id=sectors[cell[0]].id,
                                  indicator_id=indicators[cell[1]].id, year=year, value=value))
        elif target is not None and target.value != value:
            target.value = value
        else:
            continue
        changed += 1
    try:
        db.session.flush()
    except IntegrityError:  # the same cell inserted meanwhile by a concurrent request
        db.session.rollback()
        raise Conflict("Ces objectifs viennent d'être modifiés par quelqu'un d'autre : rechargez la page.") from None
    return changed
