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
    return {"id": item.id, "name": item.name, "kind": item.kind,
            "territory_code": territory.code if territory else None}


def sector(item) -> dict:
    """A filière."""
    return {"code": item.code, "name": item.name}


def indicator(item) -> dict:
    """An indicator with its unit."""
    return {"code": item.code, "name": item.name, "unit": item.unit}


def seal(obj) -> dict | None:
    """The public part of an object's seal (cop/seals): its SHA-256, reason and date; never the hidden content."""
    if not obj.is_sealed:
        return None
    return {"sealed": True, "hidden": obj.is_hidden, "digest": obj.seal_digest, "reason": obj.seal_reason,
            "announce_on": obj.announce_on.isoformat()}
