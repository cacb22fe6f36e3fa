"""JSON shapes shared by API resources: numbers, parties, sectors, indicators."""
from datetime import datetime
from decimal import Decimal
from typing import Optional


def num(value: Optional[Decimal]):
    """A Decimal as a JSON number: an integer when it has no fractional part."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def when(value: Optional[datetime]) -> Optional[str]:
    """A datetime in ISO 8601."""
    return value.isoformat() if value else None


def party(item) -> dict:
    """A party, with its territory's official code when it has one."""
    territory = item.territory
    return party_fields(item.id, item.name, item.kind, territory.code if territory else None)


def party_fields(party_id: int, name: str, kind: str, territory_code: Optional[str]) -> dict:
    """A party from its plain values (a row, not an object)."""
    return {"id": party_id, "name": name, "kind": kind, "territory_code": territory_code}


def sector(item) -> dict:
    """A filière."""
    return sector_fields(item.code, item.name)


def sector_fields(code: str, name: str) -> dict:
    """A filière from its code and its name in the reader's language."""
    return {"code": code, "name": name}


def indicator(item) -> dict:
    """An indicator with its unit."""
    return {"code": item.code, "name": item.name, "unit": item.unit}


def seal(obj) -> dict | None:
    """The public part of an object's seal (cop/seals): its SHA-256, reason and date; never the hidden content."""
    if not obj.is_sealed:
        return None
    return {"sealed": True, "hidden": obj.is_hidden, "digest": obj.seal_digest, "reason": obj.seal_reason,
            "announce_on": obj.announce_on.isoformat()}
