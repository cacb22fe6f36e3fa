"""Parts of pages cached by their own dependencies: a COP page rebuilt after a meeting opened reuses its synthesis.

A part is any value built from the database (here, rendered HTML and plain numbers, never ORM objects), kept per
worker under the tokens of the scopes it depends on, read before it is built; concurrent misses build it once.
"""
from flask import current_app

from cop.db import db
from cop.public import stamp
from cop.public.flights import Flights

#: Parts kept per worker, oldest dropped first (a COP's synthesis is one part per filière and language).
MAX_PARTS = 2048
flights = Flights()


def _store() -> dict:
    """This app's parts (one store per app, so test apps never share them)."""
    return current_app.extensions.setdefault("cop_part_cache", {})


def part(key: tuple, scopes: tuple[str, ...], build):
    """The value of a part, from the cache while its scopes have not changed, else built (once) and kept."""
    tokens = stamp.current(db.engine, (stamp.GLOBAL, *scopes))
    if tokens is None:
        return build()
    return _fetch(key, tokens, build)


def several(wanted: dict[tuple, tuple[tuple[str, ...], object]]) -> dict:
    """Several parts of one page read with one stamp query: `wanted` maps each part's key to its scopes and its
    build; each part is rebuilt only when one of its own scopes (or "global") changed."""
    names = tuple(dict.fromkeys((stamp.GLOBAL, *(scope for scopes, _ in wanted.values() for scope in scopes))))
    tokens = stamp.current(db.engine, names)
    if tokens is None:
        return {key: build() for key, (_, build) in wanted.items()}
    by_scope = dict(zip(names, tokens))
    return {key: _fetch(key, tuple(by_scope[name] for name in (stamp.GLOBAL, *scopes)), build)
            for key, (scopes, build) in wanted.items()}


def _fetch(key: tuple, tokens: tuple, build):
    """The part kept under these tokens, else built once (concurrent misses wait for the first) and kept."""
    store = _store()
    entry = store.get(key)
    if entry is not None and entry[0] == tokens:
        return entry[1]
    with flights.over(key):
        entry = store.get(key)
        if entry is not None and entry[0] == tokens:
            return entry[1]
        value = build()
        _keep(store, key, tokens, value)
    return value


def _keep(store: dict, key, tokens, value) -> None:
    """Keep a part under the tokens read before it was built, dropping the oldest beyond the limit."""
    store.pop(key, None)
    store[key] = (tokens, value)
    while len(store) > MAX_PARTS:
        store.pop(next(iter(store)), None)


def many(own: dict, shared: tuple[str, ...], flight, build) -> dict:
    """Several parts read with one stamp query: `own` maps each part's key to its own scope, every part also
    depends on the `shared` scopes; `build(keys)` returns {key: value} for the keys missing or outdated, built
    together (one query for many filières costs less than one per filière); concurrent misses build once."""
    keys = list(own)
    tokens = stamp.current(db.engine, (stamp.GLOBAL, *shared, *(own[key] for key in keys)))
    if tokens is None:
        return build(keys)
    common = tokens[:1 + len(shared)]
    wanted = {key: (*common, token) for key, token in zip(keys, tokens[1 + len(shared):])}
    store = _store()

    def fresh() -> dict:
        return {key: store[key][1] for key in keys if key in store and store[key][0] == wanted[key]}

    found = fresh()
    if len(found) < len(keys):
        with flights.over(flight):
            found = fresh()
            missing = [key for key in keys if key not in found]
            if missing:
                built = build(missing)
                for key in missing:
                    _keep(store, key, wanted[key], built[key])
                found.update(built)
    return found


def filing_scopes(conference_id: int) -> tuple[str, ...]:
    """What a COP's synthesis depends on."""
    return f"filing:{conference_id}", "filing:?"


def sector_scopes(conference_id: int) -> tuple[str, ...]:
    """What every filière's part of a COP's synthesis depends on, beside its own "filing:<id>:<sector id>"."""
    return f"filing:{conference_id}:?", "filing:?"


def outcomes_scopes(conference_id: int) -> tuple[str, ...]:
    """What a COP page shows beside its filing data (its public meetings, decisions and adopted roadmap) depends
    on: the COP's writes outside the filing tables ("outcomes:<id>"), and the COP itself ("filing:<id>:?")."""
    return f"outcomes:{conference_id}", "outcomes:?", f"filing:{conference_id}:?"


def shares_scopes(conference_id: int) -> tuple[str, ...]:
    """What a COP's indicative fair shares depend on."""
    return f"shares:{conference_id}", "shares:?"
