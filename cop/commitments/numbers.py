"""Numbers as people type them in forms and spreadsheets: "1 200,5", "1200.5", "3 000 000"."""
import re
from decimal import Decimal, InvalidOperation
from typing import Optional

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_decimal(text: Optional[str]) -> Optional[Decimal]:
    """A Decimal from French or international notation; None when empty; ValueError when not a number."""
    cleaned = _SPACES.sub("", text or "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        raise ValueError(f"« {text} » mélange virgule et point")
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(f"« {text} » n’est pas un nombre")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"« {text} » n’est pas un nombre") from None


def parse_year(text: Optional[str]) -> Optional[int]:
    """A year written with four digits; None when empty; ValueError otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{4}", cleaned):
        raise ValueError(f"« {text} » n’est pas une année sur quatre chiffres")
    return int(cleaned)
