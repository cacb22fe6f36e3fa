"""Finding places by what people type: search keys that forgive accents, abbreviations and arrondissements, and an
in-memory trigram index for typos.

`key("St-Étienne")` == `key("saint etienne")`; `key("Paris 15e Arrondissement")` == `key("paris 15")`;
`key("Le Puy-en-Velay")` == `key("puy en velay")`. Similarity is pg_trgm's, computed in Python: each word padded
with two spaces before and one after, the set of its three-letter windows, |A ∩ B| / |A ∪ B| (tests check it
against PostgreSQL's own `similarity()`). The index holds every commune, arrondissement, EPCI and EPT name of the
database, is built once per process and rebuilt when the reference data's publication stamp changes, so SQLite and
PostgreSQL give the same answers in the same order.
"""
import bisect
import re
import threading
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from cop.db import db
from cop.territories.models import Arrondissement, Commune, Territory
from cop.territories.text import normalize

#: Similarity below which a name is not offered as "close" (pg_trgm's default threshold).
THRESHOLD = 0.3
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_ORDINAL = re.compile(r"^(\d{1,2})(?:e|er|re|ere|eme|ieme|em)$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_DROPPED = frozenset({"arrondissement", "arrondissements", "arr", "arrt", "arrdt", "ardt"})
_ARTICLES = frozenset({"l", "le", "la", "les"})


def key(text: str) -> str:
    """The search key of a name or a query: accent-free words, abbreviations spelt out, ordinals as numbers."""
    words = []
    for word in _NOT_ALNUM.sub(" ", normalize(text or "")).split():
        if word in _DROPPED:
            continue
        ordinal = _ORDINAL.match(word)
        words.append(ordinal.group(1).lstrip("0") if ordinal else _ABBREVIATIONS.get(word, word))
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams of a key: every word padded with two spaces before and one after."""
    found = set()
    for word in text.split():
        padded = f"  {word} "
        found.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity of two keys: shared trigrams over all trigrams."""
    first, second = trigrams(a), trigrams(b)
    union = len(first | second)
    return len(first & second) / union if union else 0.0


@dataclass(frozen=True)
class Place:
    """One name of the index: a commune, an arrondissement (pointing to its commune), an EPCI or an EPT."""

    kind: str  # "commune", "arrondissement", "epci" or "ept"
    #: The commune's id (for a commune or an arrondissement) or the territory's id.
    ref_id: int
    name: str
    key: str
    population: int


@dataclass(frozen=True)
class Match:
    """A place found, with how: 0 exact, 1 prefix, 2 close spelling (with its similarity)."""

    place: Place
    tier: int
    score: float = 1.0


class Index:
    """Every place name: exact keys, sorted keys for prefixes, trigram postings for close spellings."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.exact: dict[str, list[int]] = {}
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = {}
        for number, place in enumerate(places):
            self.exact.setdefault(place.key, []).append(number)
            grams = trigrams(place.key)
            self.sizes.append(len(grams))
            for gram in grams:
                self.postings.setdefault(gram, []).append(number)
        self.sorted_keys = sorted((place.key, number) for number, place in enumerate(places)
                                  if place.kind in ("commune", "arrondissement"))
        self.groupings = [number for number, place in enumerate(places) if place.kind in ("epci", "ept")]

    def _ranked(self, numbers, tier: int, limit: int) -> list[Match]:
        """Places in order of population (then name), as matches of one tier."""
        chosen = sorted(set(numbers), key=lambda n: (-self.places[n].population, self.places[n].key, n))
        return [Match(self.places[n], tier) for n in chosen[:limit]]

    def find(self, query: str, limit: int) -> list[Match]:
        """The first tier that finds anything: exact names, else names starting with the query, else close ones."""
        wanted = key(query)
        if len(wanted) < 2:
            return []
        if wanted in self.exact:
            return self._ranked(self.exact[wanted], 0, limit)
        start = bisect.bisect_left(self.sorted_keys, (wanted, -1))
        prefixed = []
        for found, number in self.sorted_keys[start:]:
            if not found.startswith(wanted):
                break
            prefixed.append(number)
        padded = f" {wanted}"
        prefixed += [n for n in self.groupings if padded in f" {self.places[n].key}"]
        if prefixed:
            return self._ranked(prefixed, 1, limit)
        return self.close(wanted, limit)

    def close(self, wanted: str, limit: int) -> list[Match]:
        """The names whose trigram similarity to a key reaches THRESHOLD, most similar (then most populous) first."""
        grams = trigrams(wanted)
        shared = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        size = len(grams)
        scored = []
        for number, count in shared.items():
            score = count / (size + self.sizes[number] - count)
            if score >= THRESHOLD:
                scored.append((-score, -self.places[number].population, self.places[number].key, number))
        scored.sort()
        return [Match(self.places[n], 2, -s) for s, _p, _k, n in scored[:limit]]


def _load() -> Index:
    """Read every place name from the database."""
    places = [Place("commune", row.id, row.name, key(row.name), row.population)
              for row in db.session.execute(select(Commune.id, Commune.name, Commune.population))]
    places += [Place("arrondissement", row.commune_id, row.name, key(row.name), row.population)
               for row in db.session.execute(select(Arrondissement.commune_id, Arrondissement.name,
                                                    Arrondissement.population))]
    places += [Place(row.kind, row.id, row.name, key(row.name), row.population)
               for row in db.session.execute(select(Territory.id, Territory.kind, Territory.name,
                                                    Territory.population)
                                             .where(Territory.kind.in_(("epci", "ept"))))]
    return Index(places)


_cache: dict[str, tuple[object, Index]] = {}
_lock = threading.Lock()


def index() -> Index:
    """This process's index of the database's places, rebuilt when the reference data changed."""
    from cop.public.stamp import current  # the reference data's stamp, renewed by any write to the territories

    stamp = current(db.engine)
    name = str(db.engine.url)
    cached = _cache.get(name)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        cached = _cache.get(name)
        if stamp is not None and cached is not None and cached[0] == stamp:
            return cached[1]
        built = _load()
        if stamp is not None:
            _cache[name] = (stamp, built)
        return built
