"""Numbers as people type them in forms and spreadsheets: "1 200,5", "1200.5", "3 000 000"."""
import re
from decimal import Decimal, InvalidOperation
from typing import Optional

from cop.errors import Said

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
#: "1,200" or "12,500,000": a comma grouping thousands (English) or a decimal comma (French)? Refused, not guessed.
_AMBIGUOUS = re.compile(r"-?\d{1,3}(,\d{3})+")


class AmbiguousNumber(ValueError):
    """A number whose comma may group thousands or mark decimals."""


def parse_decimal(text: Optional[str]) -> Optional[Decimal]:
    """A Decimal from French or international notation; None when empty; ValueError when not a number."""
    cleaned = _SPACES.sub("", text or "")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        raise ValueError(Said("« %(text)s » mélange virgule et point", text=text))
    if _AMBIGUOUS.fullmatch(cleaned):
        raise AmbiguousNumber(Said("« %(text)s » est ambigu : écrivez les milliers avec une espace (1 200) "
                                   "et les décimales avec une virgule (1,2)", text=text))
    cleaned = cleaned.replace(",", ".")
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(Said("« %(text)s » n’est pas un nombre", text=text))
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(Said("« %(text)s » n’est pas un nombre", text=text)) from None


def parse_year(text: Optional[str]) -> Optional[int]:
    """A year written with four digits; None when empty; ValueError otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{4}", cleaned):
        raise ValueError(Said("« %(text)s » n’est pas une année sur quatre chiffres", text=text))
    return int(cleaned)
