"""Canonical JSON: sorted keys, no spaces, UTF-8, fixed number formatting — the same bytes for the same data."""
import json
from datetime import date, datetime
from decimal import Decimal


def _plain(value):
    """Turn values JSON has no word for into fixed strings or numbers."""
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, float):
        return _number(Decimal(repr(value)))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _number(value: Decimal):
    """An integer when the value is whole, else a string with no trailing zeros."""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def dumps(data) -> str:
    """The canonical JSON text of data."""
    return json.dumps(_plain(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dumps_bytes(data) -> bytes:
    """The canonical JSON of data, as UTF-8 bytes (what a hash is computed over)."""
    return dumps(data).encode("utf-8")
