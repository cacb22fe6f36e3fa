"""Load the filières and the indicator catalogue from seeds/data, idempotently."""
import csv
from pathlib import Path

from sqlalchemy.orm import Session

from cop.reference.models import Indicator, Sector

DATA_DIR = Path(__file__).resolve().parents[2] / "seeds" / "data"


def _rows(name: str) -> list[dict]:
    """The rows of one CSV file of seeds/data."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(session: Session, model, rows: list[dict]) -> int:
    """Insert or update rows by code; return how many changed."""
    existing = {item.code: item for item in session.scalars(session.query(model).statement)}
    changed = 0
    for position, row in enumerate(rows):
        values = {**row, "position": position}
        item = existing.get(row["code"])
        if item is None:
            session.add(model(**values))
            changed += 1
            continue
        for key, value in values.items():
            if str(getattr(item, key)) != str(value):
                setattr(item, key, value)
                changed += 1
    return changed


def load_reference(session: Session) -> dict[str, int]:
    """Upsert the 19 filières and the indicators; return the number of changes of each."""
    indicators = [{**row, "decimals": int(row["decimals"])} for row in _rows("indicators.csv")]
    return {
        "sectors": _upsert(session, Sector, _rows("sectors.csv")),
        "indicators": _upsert(session, Indicator, indicators),
    }
