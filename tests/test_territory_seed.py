"""The territory seed: real counts, Lyon in its métropole, idempotence, malformed files refused."""
import shutil

import pytest
from sqlalchemy import func, select

from cop.db import db
from cop.territories.models import Commune, CommunePostcode, Territory
from cop.territories.seed import DATA_DIR, SeedError, load_territories


def _count(model, *where) -> int:
    """Number of rows of a model matching the conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _territory(kind: str, code: str) -> Territory:
    """The territory of this kind and code."""
    return db.session.scalar(select(Territory).where(Territory.kind == kind, Territory.code == code))


def _commune(code: str) -> Commune:
    """The commune with this INSEE code."""
    return db.session.scalar(select(Commune).where(Commune.code == code))


def _copy_seeds(tmp_path):
    """A writable copy of the seed directory."""
    target = tmp_path / "seeds"
    shutil.copytree(DATA_DIR, target)
    return target


def _replace_line(path, number: int, text: str) -> None:
    """Replace line `number` (1-based) of a UTF-8 file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = text
    path.write_text("\n".join(lines), encoding="utf-8")


def _check_counts(counts: dict[str, int]) -> None:
    """Every kind of territory is there, and the counts returned say so."""
    assert _count(Territory, Territory.kind == "region") == counts["region_inserted"] == 18
    assert _count(Territory, Territory.kind == "departement") == counts["departement_inserted"] == 101
    assert _count(Territory, Territory.kind == "epci") == counts["epci_inserted"] == 1255
    assert _count(Commune) == counts["commune_inserted"] > 34_000
    assert _count(CommunePostcode) == counts["postcode_inserted"] > 34_000
    assert _count(Territory, Territory.kind != "region", Territory.region_id.is_(None)) == 0
    assert _count(Territory, Territory.kind == "region", Territory.region_id.is_not(None)) == 0


def _check_lyon() -> None:
    """Lyon is in the Métropole de Lyon (AURA), and postcode 69001 finds it alone."""
    lyon = _commune("69123")
    assert lyon.name == "Lyon" and lyon.epci.name == "Métropole de Lyon"
    assert lyon.epci.legal_form == "METRO" and lyon.epci.region.code == "84"
    found = db.session.scalars(
        select(Commune).join(CommunePostcode).where(CommunePostcode.postcode == "69001")
    ).all()
    assert [commune.code for commune in found] == ["69123"]


def _check_regions_and_islands() -> None:
    """An EPCI spanning two regions goes to the more populous side; islands have no EPCI."""
    avignon = _territory("epci", "248400251")  # members in the Gard and the Vaucluse
    assert avignon.region.name == "Provence-Alpes-Côte d'Azur"
    assert _territory("departement", "2A").search_name == "corse du sud"
    sein = _commune("29083")
    assert sein.name == "Île-de-Sein" and sein.epci_id is None and sein.search_name == "ile de sein"


def test_seed_loads_real_territories_and_a_second_run_changes_nothing():
    counts = load_territories(db.session)
    db.session.commit()
    _check_counts(counts)
    _check_lyon()
    _check_regions_and_islands()
    again = load_territories(db.session)
    db.session.commit()
    assert again.keys() == counts.keys() and set(again.values()) == {0}


def test_changes_in_the_files_are_applied(tmp_path):
    load_territories(db.session)
    db.session.commit()
    seeds = _copy_seeds(tmp_path)
    lines = (seeds / "communes.csv").read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("69123,"))
    _replace_line(seeds / "communes.csv", number, "69123,Lyon-Test,200046977,69,84,42,69001 69099")
    counts = load_territories(db.session, data_dir=seeds)
    db.session.commit()
    assert counts["commune_updated"] == 1 and counts["commune_inserted"] == 0
    assert (counts["postcode_inserted"], counts["postcode_deleted"]) == (1, 8)
    lyon = _commune("69123")
    assert (lyon.name, lyon.search_name, lyon.population) == ("Lyon-Test", "lyon test", 42)
    assert [row.postcode for row in lyon.postcodes] == ["69001", "69099"]


@pytest.mark.parametrize(
    ("filename", "line", "text", "reason"),
    [
        ("communes.csv", 5, "01005,Ambérieux,,01,84,beaucoup,01330", "population"),
        ("communes.csv", 7, "01007,Ambronay", "champ"),
        ("epci.csv", 3, "200000438,CC X,SYNDICAT,52,1", "forme juridique"),
        ("departements.csv", 4, "03,Allier,99,1", "code de région inconnu"),
    ],
)
def test_malformed_csv_is_refused_with_its_line_and_writes_nothing(tmp_path, filename, line, text, reason):
    seeds = _copy_seeds(tmp_path)
    _replace_line(seeds / filename, line, text)
    with pytest.raises(SeedError) as caught:
        load_territories(db.session, data_dir=seeds)
    message = str(caught.value)
    assert filename in message and f"ligne {line}" in message and reason in message
    assert _count(Territory) == 0 and _count(Commune) == 0 and _count(CommunePostcode) == 0


def test_wrong_header_and_missing_file_are_refused(tmp_path):
    seeds = _copy_seeds(tmp_path)
    _replace_line(seeds / "regions.csv", 1, "code,nom,population")
    with pytest.raises(SeedError, match=r"regions\.csv, ligne 1 : en-tête"):
        load_territories(db.session, data_dir=seeds)
    (seeds / "epci.csv").unlink()
    shutil.copy(DATA_DIR / "regions.csv", seeds / "regions.csv")
    with pytest.raises(SeedError, match=r"epci\.csv : fichier de données introuvable"):
        load_territories(db.session, data_dir=seeds)
