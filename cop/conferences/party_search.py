"""Finding a party among a COP's: by name, filed or not, accreditation, département, type."""
import re
from dataclasses import asdict, dataclass

from sqlalchemy import Select

from cop.conferences.models import ACCREDITATIONS, PARTY_KINDS, Conference, Party
from cop.db import db
from cop.territories.models import Commune, Territory
from cop.territories.text import normalize

#: A département code (01–95, 2A, 2B, 971–976); anything else in the query string is ignored.
DEPARTEMENT = re.compile(r"\d{2}|2A|2B|97\d")


@dataclass
class PartyFilters:
    """The filters of the parties list, as read from the query string (unknown values are ignored)."""

    q: str = ""
    filed: str = ""
    accreditation: str = ""
    departement: str = ""
    kind: str = ""

    @classmethod
    def from_args(cls, args) -> "PartyFilters":
        """Read and clean the query string."""
        pick = {"filed": ("yes", "no"), "accreditation": ACCREDITATIONS, "kind": PARTY_KINDS}
        values = {name: (args.get(name) or "").strip()[:100] for name in cls.__dataclass_fields__}
        for name, allowed in pick.items():
            if values[name] not in allowed:
                values[name] = ""
        if not DEPARTEMENT.fullmatch(values["departement"].upper()):
            values["departement"] = ""
        values["departement"] = values["departement"].upper()
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        """The filters set, for links (pagination)."""
        return {name: value for name, value in asdict(self).items() if value}


def _escaped(text: str) -> str:
    """A text with LIKE's wildcards taken literally: "%" and "_" typed in the name field match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply(query: Select, conference: Conference, filters: PartyFilters) -> Select:
    """Narrow a select of the COP's parties with the filters."""
    if filters.q:
        words, typed = f"%{_escaped(normalize(filters.q))}%", f"%{_escaped(filters.q.lower())}%"
        query = query.where(db.or_(db.func.lower(Party.name).like(typed, escape="\\"),
                                   Party.territory.has(Territory.search_name.like(words, escape="\\"))))
    if filters.filed:
        from cop.commitments.models import Commitment   # the conferences package loads before commitments

        filed = db.select(Commitment.party_id).where(Commitment.conference_id == conference.id,
                                                     Commitment.status != "draft")
        query = query.where(Party.id.in_(filed) if filters.filed == "yes" else Party.id.not_in(filed))
    if filters.accreditation:
        query = query.where(Party.accreditation == filters.accreditation)
    if filters.kind:
        query = query.where(Party.kind == filters.kind)
    if filters.departement:
        member = db.select(Commune.epci_id).where(Commune.departement_code == filters.departement)
        query = query.where(Party.territory.has(db.or_(
            Territory.id.in_(member), (Territory.kind == "departement") & (Territory.code == filters.departement))))
    return query


def departements(conference: Conference) -> list[Territory]:
    """The départements of the COP's region, for the filter."""
    return list(db.session.scalars(db.select(Territory).where(
        Territory.kind == "departement", Territory.region_id == conference.region_id).order_by(Territory.code)))
