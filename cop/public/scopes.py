"""What a written row concerns: the scopes of publication stamps its transaction must renew.

A cached page depends on a few scopes (see `cop.public.cache.dependencies`):
- "global": reference data every page may show (territories, filières, indicators) and any table not listed here;
- "cop:<id>": what one COP's pages show (its parties, commitments, targets, meetings, decisions, roadmap);
  "cop:?" when a write cannot be attributed to a COP, which every COP's pages also depend on;
- "all": the national pages (home, search, territories, feeds and lists across COPs), renewed with any "cop:…";
- "speaking": the finished turns of speech a territory's page counts;
- "identity:<id>": a COP's identity (organiser, colours, logo), which its filière pages show beside filing data;
- "parties": which territories are parties of which COPs; a territory's pages depend on it and, for each of its
  parties, on "party:<party id>", "party-common:<id>" and "shares:<id>" (not on "all" nor "cop:<id>");
- "filing:<id>" (and "filing:?"): what a COP's synthesis is computed from, renewed with "cop:<id>" by the writes
  of FILING tables only, so that a meeting opening or a decision leaves the cached synthesis in place;
- "outcomes:<id>" (and "outcomes:?"): the writes of one COP outside the FILING tables (its meetings, agenda, closed
  votes, decisions, roadmap…), renewed with "cop:<id>", so that the part of a COP page that shows its meetings,
  decisions and roadmap is kept through an acceptance, and its synthesis and parties through a decision;
- "filing:<id>:<sector id>": the same for one filière of that COP, renewed by the writes of rows that belong to one
  filière (a target, a commitment and its versions, pledges, support requests and sites, the sums kept of its
  lines), so that an acceptance
  leaves the cached lines of the other filières in place; a FILING write of the COP that belongs to no single
  filière (the conference, a party) renews "filing:<id>:?", which every filière's part also depends on;
- "shares:<id>" (and "shares:?"): what a COP's indicative fair shares are computed from (its targets, its parties,
  the method and its figures; the populations are reference data, under "global"), so that an acceptance leaves the
  cached shares in place;
- "party:<party id>": the rows of one party (`BY_PARTY`: the party, its commitments and their versions, pledges,
  support requests and sites, its priority filières, progress reports and roadmap signatures), which its
  territory's pages show; "party-common:<id>": what they show of their COP beside them (`PARTY_COMMON`: its title,
  its roadmap versions, its meetings' titles and dates), and the rows of a party that cannot be told; so that an
  acceptance of one party's commitment leaves the pages of the COP's other territories in place.
Tables no cached page reads (the meeting journal, ballots, texts under negotiation, accounts, the mail outbox, the
live servers' bookkeeping) renew nothing, nor do the casts of a vote still open (a closed vote's result is
published: its close renews its COP's pages), so a live vote leaves every cached page in place until it closes;
tests/test_cache_scopes.py proves no cached page reads them.
"""
from functools import cache

from sqlalchemy import inspect
from sqlalchemy.orm import Session

#: Tables no cached page reads: writing them renews no stamp.
UNREAD = frozenset({
    "user_account", "account_token", "publication_stamp", "audit_event", "membership",
    "meeting_event", "meeting_cofacilitator", "ballot", "vote_participation",
    "objection_window", "objection", "draft", "paragraph", "draft_version", "amendment", "amendment_sponsor",
    "ballot_key", "live_process", "live_socket", "outbox_message", "throttle_hit",
})
#: Tables the synthesis of a COP is computed from (beside the reference data under "global").
FILING = frozenset({
    "conference", "party", "target", "commitment", "commitment_version", "pledge", "support_request", "site",
    "party_priority_sector", "fair_share_basis", "fair_share_criterion", "fair_share_figure", "project",
    "funder", "funder_budget", "support_answer", "commitment_partner", "filing_sum",
})
#: Tables the indicative fair shares of a COP are computed from (`cop.fairshare.compute`).
SHARES = frozenset({"target", "party", "fair_share_basis", "fair_share_criterion", "fair_share_figure"})
#: FILING tables whose rows belong to one filière: (the column naming it, or the way up to a row that has it).
BY_SECTOR = frozenset({"target", "commitment", "commitment_version", "pledge", "support_request", "site",
                       "commitment_partner", "filing_sum"})
#: Tables of rows that belong to one party (a territory's pages show them).
BY_PARTY = frozenset({"party", "commitment", "commitment_version", "pledge", "support_request", "site",
                      "commitment_partner", "review_comment", "party_priority_sector", "progress_report",
                      "roadmap_signature", "roadmap_signature_act"})
#: BY_PARTY tables whose rows name their party.
PARTY_COLUMN = frozenset({"commitment", "party_priority_sector", "progress_report", "roadmap_signature"})
#: Tables of a COP that each of its territories' pages reads beside its party's rows (`cop.public.views.territory`).
PARTY_COMMON = frozenset({"conference", "roadmap", "roadmap_version", "meeting"})
#: Columns of a meeting a territory's page shows (its record of turns of speech).
MEETING_SHOWN = frozenset({"title", "starts_dt", "is_public", "conference_id"})
#: Columns a live command bumps on a meeting that no page shows.
MEETING_LIVE_COLUMNS = frozenset({"last_seq", "version"})
#: Columns the casts of an open vote update (its result is published once it is closed).
VOTE_RUNNING_COLUMNS = frozenset({"yes_count", "no_count", "abstain_count", "yes_population", "no_population",
                                  "abstain_population"})
#: table → (its column, the parent table) on the way to a row that has a conference_id.
PARENTS = {
    "commitment_version": ("commitment_id", "commitment"),
    "pledge": ("version_id", "commitment_version"),
    "support_request": ("version_id", "commitment_version"),
    "site": ("version_id", "commitment_version"),
    "commitment_partner": ("version_id", "commitment_version"),
    "review_comment": ("version_id", "commitment_version"),
    "party_priority_sector": ("party_id", "party"),
    "fair_share_criterion": ("basis_id", "fair_share_basis"),
    "fair_share_figure": ("criterion_id", "fair_share_criterion"),
    "registry_site_commitment": ("site_id", "registry_site"),
    "funder_budget": ("funder_id", "funder"),
    "support_answer": ("funder_id", "funder"),
    "floor_request": ("meeting_id", "meeting"),
    "agenda_item": ("meeting_id", "meeting"),
    "vote": ("meeting_id", "meeting"),
    "roadmap_version": ("roadmap_id", "roadmap"),
    "chapter_framing": ("version_id", "roadmap_version"),
    "roadmap_commitment": ("version_id", "roadmap_version"),
    "roadmap_signature": ("version_id", "roadmap_version"),
    "roadmap_signature_act": ("signature_id", "roadmap_signature"),
    "roadmap_document": ("version_id", "roadmap_version"),
    "contract_milestone": ("contract_id", "contract"),
    "contract_signature": ("contract_id", "contract"),
    "contract_signature_act": ("signature_id", "contract_signature"),
    "contract_disbursement": ("milestone_id", "contract_milestone"),
}
#: Tables of rows that carry their conference_id (or are the conference).
OWN_CONFERENCE = frozenset({
    "conference", "conference_revision", "phase_change", "party", "target", "commitment", "meeting", "roadmap",
    "decision", "progress_report", "fair_share_basis", "project", "registry_site", "funder", "roadmap_amendment",
    "conference_identity", "rules_version", "contract", "filing_sum",
})


def _value(obj, column: str):
    """The value of a column of a mapped object, whatever its attribute is called."""
    mapper = inspect(obj).mapper
    return getattr(obj, mapper.get_property_by_column(mapper.local_table.c[column]).key)


@cache
def _model(table: str):
    """The mapped class of a table."""
    from cop.db import db

    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == table:
            return mapper.class_
    raise KeyError(table)


def _link(session: Session, table: str, row_id: int, column: str):
    """One column of a parent row: from the session when it holds the row, else read in the writing transaction."""
    with session.no_autoflush:
        parent = session.get(_model(table), row_id)
    return None if parent is None else _value(parent, column)


def _up(session: Session, obj, table: str, reached, wanted: str) -> int | None:
    """Follow a written row's parents (`PARENTS`) up to the first table `reached` accepts, and read that row's
    `wanted` column; None when a link is missing."""
    column, parent = PARENTS[table]
    row_id = _value(obj, column)
    while row_id is not None and not reached(parent):
        column, next_parent = PARENTS[parent]
        row_id, parent = _link(session, parent, row_id, column), next_parent
    return None if row_id is None else _link(session, parent, row_id, wanted)


def conference_of(session: Session, obj) -> int | None:
    """The COP a written row belongs to, or None when it cannot be told."""
    table = type(obj).__table__.name
    if table == "conference":
        return obj.id
    if table in OWN_CONFERENCE:
        return _value(obj, "conference_id")
    return _up(session, obj, table, lambda parent: parent in OWN_CONFERENCE, "conference_id")


def sector_of(session: Session, obj) -> int | None:
    """The filière a written FILING row belongs to, or None when it belongs to none or cannot be told."""
    table = type(obj).__table__.name
    if table not in BY_SECTOR:
        return None
    if table in ("target", "commitment", "filing_sum"):
        history = inspect(obj).attrs.sector_id.history
        if history.deleted:  # moved to another filière: both are concerned, say "any"
            return None
        return _value(obj, "sector_id")
    return _up(session, obj, table, lambda parent: parent == "commitment", "sector_id")


def party_of(session: Session, obj) -> int | None:
    """The party a written BY_PARTY row belongs to, or None when it cannot be told (or moved between parties)."""
    table = type(obj).__table__.name
    if table == "party":
        return obj.id
    if table in PARTY_COLUMN:
        if inspect(obj).attrs.party_id.history.deleted:  # moved to another party: both are concerned, say "any"
            return None
        return _value(obj, "party_id")
    return _up(session, obj, table, lambda parent: parent in PARTY_COLUMN, "party_id")


def _of_party(session: Session, obj, table: str, dirty: bool, conference_id: int) -> set[str]:
    """The scopes of a territory's pages a write of one COP concerns: its party's, or what every party's shows."""
    if table in BY_PARTY:
        try:
            party_id = party_of(session, obj)
        except Exception:  # a row deleted with its parent: any party of the COP
            party_id = None
        return {f"party-common:{conference_id}" if party_id is None else f"party:{party_id}"}
    if table in PARTY_COMMON and not (table == "meeting" and dirty and not _changed(obj) & MEETING_SHOWN):
        return {f"party-common:{conference_id}"}
    return set()


def _changed(obj) -> set[str]:
    """Names of the columns whose value this flush changes."""
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _concerns_pages(obj, table: str, dirty: bool) -> bool:
    """False for writes no cached page shows: a meeting's sequence number, a vote still open (only closed votes'
    results are published: the casts of a live vote renew nothing, its close does)."""
    if table == "meeting" and dirty:
        return not _changed(obj) <= MEETING_LIVE_COLUMNS
    if table == "vote":
        history = inspect(obj).attrs.closed_dt.history
        return any(value is not None for value in (*history.added, *history.unchanged, *history.deleted))
    return True


def _turn_finished(obj) -> bool:
    """True when a turn of speech is, or was until this flush, finished (what a territory's page counts)."""
    history = inspect(obj).attrs.state.history
    return "done" in (*history.added, *history.unchanged, *history.deleted)


def of_object(session: Session, obj, dirty: bool = False) -> set[str]:
    """The scopes a written mapped object concerns."""
    table = getattr(type(obj), "__table__", None)
    name = getattr(table, "name", None)
    if name is None or name in UNREAD or not _concerns_pages(obj, name, dirty):
        return set()
    if name == "floor_request":
        return {"speaking"} if _turn_finished(obj) else set()
    if name not in OWN_CONFERENCE and name not in PARENTS:
        return {"global"}
    try:
        conference_id = conference_of(session, obj)
    except Exception:  # a row deleted with its parent: cannot tell which COP, so every COP
        conference_id = None
    found = _of_conference(name, "?" if conference_id is None else conference_id)
    if conference_id is not None:
        found |= _of_party(session, obj, name, dirty, conference_id)
    if name in FILING and conference_id is not None:
        try:
            sector_id = sector_of(session, obj)
        except Exception:  # a row deleted with its parent: any filière of the COP
            sector_id = None
        found.add(f"filing:{conference_id}:{'?' if sector_id is None else sector_id}")
    return found


def _of_conference(table: str, conference_id) -> set[str]:
    """The scopes of a write to a table of one COP ("?" when any)."""
    found = {"all", f"cop:{conference_id}"}
    if table == "party":  # which COPs a territory is a party of: its pages read their stamps (`cache.lookup`)
        found.add("parties")
    if table == "conference_identity":  # the COP's name, colours and logo on its filière pages
        found.add(f"identity:{conference_id}")
    if table in FILING:
        found.add(f"filing:{conference_id}")
    else:
        found.add(f"outcomes:{conference_id}")
    if table in SHARES:
        found.add(f"shares:{conference_id}")
    return found


def _set_columns(statement) -> set[str] | None:
    """Names of the columns an UPDATE sets, or None when it cannot be told."""
    values = getattr(statement, "_values", None) if getattr(statement, "is_update", False) else None
    if not values:
        return None
    return {getattr(column, "key", column) for column in values}


def of_table(name: str | None, statement=None) -> set[str]:
    """The scopes a bulk statement on a table concerns (it may touch any COP)."""
    if name is None:
        return {"global"}
    if name in UNREAD:
        return set()
    if name == "meeting" and (_set_columns(statement) or {"?"}) <= MEETING_LIVE_COLUMNS:
        return set()
    if name == "vote" and (_set_columns(statement) or {"?"}) <= VOTE_RUNNING_COLUMNS:
        return set()
    if name == "floor_request":
        return {"speaking"}
    if name in OWN_CONFERENCE or name in PARENTS:
        return _of_conference(name, "?")
    return {"global"}
