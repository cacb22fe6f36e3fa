"""Parts of pages cached by their own dependencies: a COP page rebuilt after a meeting opened reuses its synthesis.

A part is any value built from the database (here, rendered HTML and plain numbers, never ORM objects), kept per
worker under the tokens of the scopes it depends on, read before it is built; concurrent misses build it once.
"""
from flask import current_app

from cop.db import db
from cop.public import stamp
from cop.public.flights import Flights

#: Parts kept per worker, oldest dropped first.
MAX_PARTS = 256
flights = Flights()


def _store() -> dict:
    """This app's parts (one store per app, so test apps never share them)."""
    return current_app.extensions.setdefault("cop_part_cache", {})


def part(key: tuple, scopes: tuple[str, ...], build):
    """The value of a part, from the cache while its scopes have not changed, else built (once) and kept."""
    tokens = stamp.current(db.engine, (stamp.GLOBAL, *scopes))
    if tokens is None:
        return build()
    store = _store()
    entry = store.get(key)
    if entry is not None and entry[0] == tokens:
        return entry[1]
    with flights.over(key):
        entry = store.get(key)
        if entry is not None and entry[0] == tokens:
            return entry[1]
        value = build()
        store.pop(key, None)
        store[key] = (tokens, value)
        while len(store) > MAX_PARTS:
            store.pop(next(iter(store)), None)
    return value


def filing_scopes(conference_id: int) -> tuple[str, ...]:
    """What a COP's synthesis depends on."""
    return f"filing:{conference_id}", "filing:?"
