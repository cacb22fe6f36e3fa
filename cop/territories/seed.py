"""Load the committed territory CSV seeds (seeds/data/) into the database.

``load_territories(session)`` reads regions.csv, departements.csv, epci.csv,
communes.csv, arrondissements.csv and ept.csv (written by
seeds/derive_territories.py), checks every line, then upserts regions,
départements, EPCI, EPT, communes (with their EPT), commune postcodes and the
arrondissements of Paris, Lyon and Marseille in bulk:
one SELECT per table to learn what exists, one executemany INSERT for what is
new and one executemany UPDATE for what changed.  It never commits (the
caller does) and never deletes territories or communes, which other tables
may reference; only the postcodes of seeded communes are kept in step with
the CSV.  A second run with the same files changes nothing.

The counts returned are keyed "<kind>_inserted" and "<kind>_updated" for
region, departement, epci, ept, commune and arrondissement, plus "postcode_inserted" and
"postcode_deleted"; all are 0 when nothing changed.

Every file is read and checked before the first write, so a malformed CSV
raises ``SeedError`` (its message names the file and the line) and leaves the
database untouched.
"""
import csv
import io
import re
from functools import partial
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from cop.territories.models import EPT_LEGAL_FORM, LEGAL_FORMS, Arrondissement, Commune, CommunePostcode, Territory
from cop.territories.text import normalize

DATA_DIR = Path(__file__).resolve().parents[2] / "seeds" / "data"

HEADERS = {
    "regions.csv": ("code", "name", "population"),
    "departements.csv": ("code", "name", "region_code", "population"),
    "epci.csv": ("siren", "name", "legal_form", "region_code", "population"),
    "communes.csv": (
        "code", "name", "epci_siren", "departement_code", "region_code", "population", "postcodes",
    ),
    "arrondissements.csv": ("code", "name", "commune_code", "population", "postcodes"),
    "ept.csv": ("siren", "name", "region_code", "population", "communes"),
}

REGION_CODE = re.compile(r"\d{2}")
DEPARTEMENT_CODE = re.compile(r"\d{2}|2A|2B|97\d")
SIREN = re.compile(r"\d{9}")
COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}")
POSTCODE = re.compile(r"\d{5}")
DELETE_CHUNK = 500

TERRITORY_COLUMNS = ("kind", "code", "name", "search_name", "legal_form", "population", "region_id")
COMMUNE_COLUMNS = (
    "code", "name", "search_name", "population", "epci_id", "ept_id", "departement_code", "region_code",
)
ARRONDISSEMENT_COLUMNS = ("code", "name", "population", "commune_id")


class SeedError(Exception):
    """A seed file is missing or malformed; the message names the file and the line."""


# --- Reading and checking the CSV files -------------------------------------------------


def _field(record, name, pattern=None):
    """Return a non-empty field of a record, checked against an optional pattern."""
    value = record[name].strip()
    if not value:
        raise ValueError(f"le champ « {name} » est vide")
    if pattern is not None and not pattern.fullmatch(value):
        raise ValueError(f"le champ « {name} » a une valeur invalide : {value!r}")
    return value


def _population(record):
    """Return the population field of a record as a non-negative integer."""
    value = record["population"].strip()
    if not value.isdigit():
        raise ValueError(f"la population doit être un entier positif, pas {value!r}")
    return int(value)


def _reference(record, name, known, label):
    """Return a code field that must name an already-read record."""
    value = _field(record, name)
    if value not in known:
        raise ValueError(f"code {label} inconnu : {value!r}")
    return value


def parse_region(record):
    """Return the (code, values) of one regions.csv line."""
    code = _field(record, "code", REGION_CODE)
    return code, {"name": _field(record, "name"), "population": _population(record)}


def parse_departement(record, regions):
    """Return the (code, values) of one departements.csv line."""
    code = _field(record, "code", DEPARTEMENT_CODE)
    return code, {
        "name": _field(record, "name"),
        "region_code": _reference(record, "region_code", regions, "de région"),
        "population": _population(record),
    }


def parse_epci(record, regions):
    """Return the (siren, values) of one epci.csv line."""
    code = _field(record, "siren", SIREN)
    legal_form = _field(record, "legal_form")
    if legal_form not in LEGAL_FORMS:
        raise ValueError(f"forme juridique inconnue : {legal_form!r}")
    return code, {
        "name": _field(record, "name"),
        "legal_form": legal_form,
        "region_code": _reference(record, "region_code", regions, "de région"),
        "population": _population(record),
    }


def parse_commune(record, departements, epcis):
    """Return the (code, values) of one communes.csv line; epci_siren may be empty."""
    code = _field(record, "code", COMMUNE_CODE)
    departement = _reference(record, "departement_code", departements, "de département")
    epci = record["epci_siren"].strip()
    if epci and epci not in epcis:
        raise ValueError(f"SIREN d'EPCI inconnu : {epci!r}")
    postcodes = tuple(sorted(set(record["postcodes"].split())))
    for postcode in postcodes:
        if not POSTCODE.fullmatch(postcode):
            raise ValueError(f"code postal invalide : {postcode!r}")
    region = _field(record, "region_code")
    if region != departements[departement]["region_code"]:
        raise ValueError(f"la région {region!r} n'est pas celle du département {departement!r}")
    return code, {
        "name": _field(record, "name"), "epci_siren": epci or None, "departement_code": departement,
        "region_code": region, "population": _population(record), "postcodes": postcodes,
    }


def parse_ept(record, regions, communes):
    """Return the (siren, values) of one ept.csv line: an EPT and its member communes."""
    code = _field(record, "siren", SIREN)
    members = tuple(sorted(set(record["communes"].split())))
    if not members:
        raise ValueError("le champ « communes » est vide")
    unknown = [member for member in members if member not in communes]
    if unknown:
        raise ValueError(f"commune(s) inconnue(s) : {' '.join(unknown[:5])}")
    return code, {
        "name": _field(record, "name"), "legal_form": EPT_LEGAL_FORM,
        "region_code": _reference(record, "region_code", regions, "de région"),
        "population": _population(record), "communes": members,
    }


def parse_arrondissement(record, communes):
    """Return the (code, values) of one arrondissements.csv line."""
    code = _field(record, "code", COMMUNE_CODE)
    commune = _reference(record, "commune_code", communes, "de commune")
    for postcode in record["postcodes"].split():  # the commune's own postcodes already find it
        if not POSTCODE.fullmatch(postcode):
            raise ValueError(f"code postal invalide : {postcode!r}")
    return code, {"name": _field(record, "name"), "commune_code": commune, "population": _population(record)}


def _check_header(path, header):
    """Raise SeedError unless the first line of a file is its expected header."""
    expected = list(HEADERS[path.name])
    if header is None:
        raise SeedError(f"{path}, ligne 1 : fichier vide, en-tête attendu {','.join(expected)}")
    if [name.strip() for name in header] != expected:
        found = ",".join(header)
        raise SeedError(f"{path}, ligne 1 : en-tête {found!r}, attendu {','.join(expected)!r}")


def _decode(path):
    """Return the text of a seed file, or raise SeedError if it is missing or not UTF-8."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SeedError(f"{path} : fichier de données introuvable") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SeedError(f"{path}, ligne {line} : le fichier n'est pas en UTF-8") from None


def _records(path, text):
    """Yield (line number, fields) for each CSV record, numbered by the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SeedError(f"{path}, ligne {start} : CSV invalide ({error})") from None
        if fields:
            yield start, fields


def _parse_record(fields, header, parse):
    """Return the (code, values) of one record, raising ValueError when it is malformed."""
    if len(fields) != len(header):
        raise ValueError(f"{len(fields)} champ(s) au lieu de {len(header)}")
    return parse(dict(zip(header, fields)))


def read_seed(path, parse):
    """Return {code: values} for one seed file, or raise SeedError naming the file and line."""
    header, rows = HEADERS[path.name], {}
    records = _records(path, _decode(path))
    first = next(records, None)
    _check_header(path, first[1] if first else None)
    for line, fields in records:
        try:
            code, values = _parse_record(fields, header, parse)
            if code in rows:
                raise ValueError(f"code en double : {code!r}")
        except ValueError as error:
            raise SeedError(f"{path}, ligne {line} : {error}") from None
        rows[code] = values
    return rows


def read_all(data_dir):
    """Read and check the six seed files, each against the codes of the ones before it."""
    data_dir = Path(data_dir)
    regions = read_seed(data_dir / "regions.csv", parse_region)
    departements = read_seed(
        data_dir / "departements.csv", partial(parse_departement, regions=regions)
    )
    epcis = read_seed(data_dir / "epci.csv", partial(parse_epci, regions=regions))
    communes = read_seed(
        data_dir / "communes.csv",
        partial(parse_commune, departements=departements, epcis=epcis),
    )
    epts = read_seed(data_dir / "ept.csv", partial(parse_ept, regions=regions, communes=communes))
    owner = {}
    for siren, values in epts.items():
        for member in values["communes"]:
            if member in owner:
                raise SeedError(f"{data_dir / 'ept.csv'} : la commune {member} est dans deux EPT")
            owner[member] = siren
    for code, values in communes.items():
        values["ept_siren"] = owner.get(code)
    arrondissements = read_seed(data_dir / "arrondissements.csv",
                                partial(parse_arrondissement, communes=communes))
    return regions, departements, epcis, communes, epts, arrondissements


# --- Writing to the database -------------------------------------------------------------


def _current(session, model, columns, *where):
    """Return the existing rows of a model as {code: {column: value}}, including the id."""
    selected = [model.id] + [getattr(model, column) for column in columns]
    return {row.code: row._asdict() for row in session.execute(select(*selected).where(*where))}


def _upsert(session, model, current, desired):
    """Insert the desired rows missing from current, update those that differ; count both."""
    new = [values for code, values in desired.items() if code not in current]
    changed = [
        {"id": current[code]["id"], **values}
        for code, values in desired.items()
        if code in current and any(current[code][key] != value for key, value in values.items())
    ]
    if new:
        session.execute(insert(model), new)
    if changed:
        session.execute(update(model), changed)
    return len(new), len(changed)


def _ids(session, model, current, inserted, *where):
    """Return {code: id} for a model, querying again only when rows were just inserted."""
    if not inserted:
        return {code: row["id"] for code, row in current.items()}
    return dict(session.execute(select(model.code, model.id).where(*where)).all())


def sync_territories(session, kind, records, region_ids, counts):
    """Upsert the territories of one kind and return their ids by code."""
    where = (Territory.kind == kind,)
    current = _current(session, Territory, TERRITORY_COLUMNS, *where)
    desired = {
        code: {
            "kind": kind, "code": code, "name": values["name"],
            "search_name": normalize(values["name"]), "legal_form": values.get("legal_form"),
            "population": values["population"],
            "region_id": region_ids[values["region_code"]] if "region_code" in values else None,
        }
        for code, values in records.items()
    }
    inserted, updated = _upsert(session, Territory, current, desired)
    counts[f"{kind}_inserted"], counts[f"{kind}_updated"] = inserted, updated
    return _ids(session, Territory, current, inserted, *where)


def sync_communes(session, records, epci_ids, ept_ids, counts):
    """Upsert the communes (with their EPCI and EPT) and return their ids by INSEE code."""
    current = _current(session, Commune, COMMUNE_COLUMNS)
    desired = {
        code: {
            "code": code, "name": values["name"], "search_name": normalize(values["name"]),
            "population": values["population"],
            "epci_id": epci_ids[values["epci_siren"]] if values["epci_siren"] else None,
            "ept_id": ept_ids[values["ept_siren"]] if values["ept_siren"] else None,
            "departement_code": values["departement_code"], "region_code": values["region_code"],
        }
        for code, values in records.items()
    }
    inserted, updated = _upsert(session, Commune, current, desired)
    counts["commune_inserted"], counts["commune_updated"] = inserted, updated
    return _ids(session, Commune, current, inserted)


def sync_arrondissements(session, records, commune_ids, counts):
    """Upsert the arrondissements municipaux, each pointing to its commune."""
    current = _current(session, Arrondissement, ARRONDISSEMENT_COLUMNS)
    desired = {
        code: {"code": code, "name": values["name"], "population": values["population"],
               "commune_id": commune_ids[values["commune_code"]]}
        for code, values in records.items()
    }
    inserted, updated = _upsert(session, Arrondissement, current, desired)
    counts["arrondissement_inserted"], counts["arrondissement_updated"] = inserted, updated


def sync_postcodes(session, records, commune_ids, counts):
    """Insert the missing postcodes of the seeded communes and delete those no longer listed."""
    model = CommunePostcode
    rows = session.execute(select(model.id, model.commune_id, model.postcode))
    current = {(row.commune_id, row.postcode): row.id for row in rows}
    desired = {
        (commune_ids[code], postcode)
        for code, values in records.items()
        for postcode in values["postcodes"]
    }
    seeded = {commune_ids[code] for code in records}
    missing = sorted(desired - current.keys())
    new = [{"commune_id": commune, "postcode": code} for commune, code in missing]
    stale = sorted(current[key] for key in current.keys() - desired if key[0] in seeded)
    if new:
        session.execute(insert(model), new)
    for start in range(0, len(stale), DELETE_CHUNK):
        chunk = stale[start:start + DELETE_CHUNK]
        session.execute(delete(model).where(model.id.in_(chunk)))
    counts["postcode_inserted"], counts["postcode_deleted"] = len(new), len(stale)


def load_territories(session, data_dir=None) -> dict[str, int]:
    """Upsert every territory, commune and postcode from the seed CSVs and return the counts."""
    regions, departements, epcis, communes, epts, arrondissements = read_all(data_dir or DATA_DIR)
    counts = {}
    region_ids = sync_territories(session, "region", regions, {}, counts)
    sync_territories(session, "departement", departements, region_ids, counts)
    epci_ids = sync_territories(session, "epci", epcis, region_ids, counts)
    ept_ids = sync_territories(session, "ept", {code: {k: v for k, v in values.items() if k != "communes"}
                                                for code, values in epts.items()}, region_ids, counts)
    commune_ids = sync_communes(session, communes, epci_ids, ept_ids, counts)
    sync_postcodes(session, communes, commune_ids, counts)
    sync_arrondissements(session, arrondissements, commune_ids, counts)
    session.flush()
    return counts
