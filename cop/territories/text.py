"""Text normalisation for accent- and case-insensitive search of place names."""
import re
import unicodedata

_SEPARATORS = re.compile(r"[-'’\s]+")


def normalize(text: str) -> str:
    """Lower-case, strip accents, turn hyphens and apostrophes into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", bare.lower()).strip()
