"""Full-text search over published commitments and decisions, with French stemming where the database offers it.

PostgreSQL: `to_tsvector('french', …) @@ plainto_tsquery('french', …)` on accent-free text, ranked by
ts_rank. SQLite (no French stemmer): every word of the query is reduced to a crude French stem and must
appear in the accent-free text, compared with LIKE through a `cop_normalize` SQL function.
The text searched is the latest published version of each commitment, with its party and filière names.
"""
import re

from sqlalchemy import Select, event, func, literal, select
from sqlalchemy.engine import Engine

from cop.commitments.models import Commitment, CommitmentVersion
from cop.conferences.models import Party
from cop.db import db
from cop.reference.models import Sector
from cop.territories.text import normalize

TEXT_COLUMNS = ("scope", "actions", "assumptions_method", "local_preparation", "fairness_ambition",
                "regional_contribution", "justification")
MAX_QUERY = 200
MAX_WORDS = 8
_WORD = re.compile(r"[a-z0-9]+")
#: Longest first: the first suffix that leaves a stem of 3 letters or more is removed.
_SUFFIXES = ("issements", "issement", "ements", "ement", "ations", "ation", "ateurs", "ateur", "atrices",
             "atrice", "ances", "ance", "ences", "ence", "iques", "ique", "ismes", "isme", "istes", "iste",
             "ables", "able", "elles", "elle", "euses", "euse", "eux", "aux", "al", "es", "s", "x", "e")
_ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_PLAIN = "aaaaaaceeeeiiiinooooouuuuyyAAACEEEEIIOOUUUY"


@event.listens_for(Engine, "connect")
def _sqlite_functions(dbapi_connection, connection_record):
    """Give SQLite connections the same normalisation as Python (accents and case)."""
    if type(dbapi_connection).__module__ == "sqlite3":
        dbapi_connection.create_function("cop_normalize", 1, lambda text: normalize(text or ""),
                                         deterministic=True)


def stem(word: str) -> str:
    """A crude French stem: plural and common derivational endings removed."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words(query: str) -> list[str]:
    """The searchable words of a query, accent-free and lower-case."""
    return _WORD.findall(normalize((query or "")[:MAX_QUERY]))[:MAX_WORDS]


def _document():
    """The searched text of a version, with its party and filière names."""
    parts = [Party.name, Sector.name, *(getattr(CommitmentVersion, name) for name in TEXT_COLUMNS)]
    text = parts[0]
    for part in parts[1:]:
        text = text + literal(" ") + func.coalesce(part, "")
    return text


def _latest_public():
    """Subquery: the number of the latest published version of each published commitment."""
    return (select(CommitmentVersion.commitment_id, func.max(CommitmentVersion.number).label("number"))
            .join(Commitment, Commitment.id == CommitmentVersion.commitment_id)
            .where(CommitmentVersion.status != "draft", Commitment.status != "draft")
            .group_by(CommitmentVersion.commitment_id).subquery())


def _base() -> Select:
    """Published commitments joined to their latest published version, party and filière."""
    latest = _latest_public()
    return (select(Commitment)
            .join(latest, latest.c.commitment_id == Commitment.id)
            .join(CommitmentVersion, (CommitmentVersion.commitment_id == Commitment.id)
                  & (CommitmentVersion.number == latest.c.number))
            .join(Party, Party.id == Commitment.party_id).join(Sector, Sector.id == Commitment.sector_id))


def _matching(base: Select, text_column, terms: list[str], order) -> Select:
    """Filter a query on a text: French full-text on PostgreSQL, stems and LIKE on SQLite."""
    if db.engine.dialect.name == "postgresql":
        vector = func.to_tsvector("french", func.translate(text_column, _ACCENTED, _PLAIN))
        tsquery = func.plainto_tsquery("french", " ".join(terms))
        return base.where(vector.op("@@")(tsquery)).order_by(func.ts_rank(vector, tsquery).desc(), *order)
    normalized = func.cop_normalize(text_column)
    for term in terms:
        base = base.where(normalized.like("%" + stem(term) + "%"))
    return base.order_by(*order)


def decisions(query: str, conference_id: int | None = None) -> Select | None:
    """Decisions whose text matches, best first; None when the query has no word."""
    from cop.negotiation.decisions.models import Decision

    terms = words(query)
    if not terms:
        return None
    base = select(Decision)
    if conference_id:
        base = base.where(Decision.conference_id == conference_id)
    return _matching(base, Decision.text, terms, (Decision.created_dt.desc(), Decision.id))


def commitments(query: str, conference_id: int | None = None) -> Select | None:
    """A query of the matching commitments, best first; None when the query has no word."""
    terms = words(query)
    if not terms:
        return None
    base = _base()
    if conference_id:
        base = base.where(Commitment.conference_id == conference_id)
    return _matching(base, _document(), terms, (Commitment.updated_dt.desc(), Commitment.id))
