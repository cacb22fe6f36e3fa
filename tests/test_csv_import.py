"""CSV import: the documented layout, all-or-nothing, every bad line listed, hostile files refused."""
import csv
import io
from decimal import Decimal

import pytest

from cop.commitments import csv_import, csv_layout, services
from cop.commitments.models import Commitment, CommitmentVersion, Pledge
from cop.db import db
from cop.errors import Forbidden
from tests.commitment_helpers import build_world

HEADER = "filiere;indicateur;annee_reference;valeur_reference;annee_cible;valeur_inconditionnelle;" \
         "valeur_conditionnelle;financeur;montant_appui;objet_appui;perimetre"


@pytest.fixture
def world(make):
    w = build_world(make)
    for code in ("automobile", "bois"):
        services.declare_priority(w.head_a, w.a, w.sectors[code], "Atout du territoire.")
    db.session.commit()
    return w


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\ufeff" + "\r\n".join((header,) + lines) + "\r\n").encode("utf-8")


GOOD = _csv(
    "automobile;jobs-created;2025;1 200;2030;250;100;bpifrance;2 000 000;Robotisation;"
    "Sous-traitants et équipementiers du bassin",
    "automobile;investment;2024;0;2030;15 000 000,50;0;;;;",
    "bois;training-places;2025;10;2029;40;0;;;;Scierie et seconde transformation",
)


def _post(client, world, data: bytes, encoding="utf-8"):
    return client.post(f"/cop/{world.conference.id}/parties/{world.a.id}/import",
                       data={"file": (io.BytesIO(data), "engagements.csv"), "encoding": encoding},
                       content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_good_file_fills_one_draft_per_filiere(world, client, auth):
    auth.login("chef.a@example.fr")
    response = _post(client, world, GOOD)
    assert response.status_code == 302
    db.session.expire_all()
    versions = db.session.scalars(db.select(CommitmentVersion).order_by(CommitmentVersion.id)).all()
    assert [v.status for v in versions] == ["draft", "draft"]
    auto = versions[0]
    assert [(p.indicator.code, p.unconditional_value, p.conditional_value) for p in auto.pledges] == [
        ("jobs-created", Decimal("250"), Decimal("100")), ("investment", Decimal("15000000.50"), Decimal("0"))]
    assert auto.support_requests[0].amount == Decimal("2000000")
    assert auto.scope == "Sous-traitants et équipementiers du bassin"
    assert auto.reference_year == 2024 and versions[1].target_year == 2029


def test_a_file_with_bad_lines_imports_nothing_and_lists_every_line(world, client, auth):
    auth.login("chef.a@example.fr")
    data = _csv(
        "automobile;jobs-created;2025;0;2030;250;0;;;;",           # good
        "automobile;bonheur;2025;0;2030;10;0;;;;",                  # 3: not in the catalogue
        "bois;jobs-created;2025;0;2020;10;0;;;;",                   # 4: target before reference
        "bois;investment;2025;0;2030;-5;0;;;;",                     # 5: negative
        "bois;training-places;2025;0;2030;10;30;;;;",               # 6: conditional without support
        "eau;jobs-created;2025;0;2030;10;0;;;;",                    # 7: not a priority
        "automobile;net-sites;deux mille;0;2030;1;0;;;;",           # 8: not a year
        "automobile;ghg-reduction;2025;0;2030;1;0;;;",              # 9: a cell short
    )
    response = _post(client, world, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Aucun engagement n’a été importé" in page
    for expected in ("ligne 3 : l’indicateur « bonheur »", "ligne 4 : l’année cible précède",
                     "ligne 5 : les valeurs ne peuvent pas être négatives", "ligne 6 : une valeur conditionnelle",
                     "ligne(s) 7 : la filière « eau » n’est pas une priorité",
                     "ligne 8 : colonne « annee_reference »", "ligne 9 : 10 cellule(s) au lieu de 11"):
        assert expected in page
    assert "ligne 2 " not in page
    assert _count(Commitment) == 0 and _count(Pledge) == 0


@pytest.mark.parametrize("cell", ["=SUM(A1:A9)", "+33612345678", "@SUM(1)", "\t=1", "-cmd|' /C calc'!A0"])
def test_formula_cells_are_refused(world, cell):
    data = _csv(f"automobile;jobs-created;2025;0;2030;10;0;;;;{cell}")
    with pytest.raises(csv_import.ImportRefused) as refused:
        csv_import.import_csv(world.head_a, world.a, data)
    assert "formule" in refused.value.problems[0] and str(refused.value.problems[0]).startswith("ligne 2")
    assert _count(Commitment) == 0


def test_markdown_list_in_a_text_cell_is_not_a_formula(world):
    data = _csv("automobile;jobs-created;2025;0;2030;10;0;;;;- une action")
    assert csv_import.import_csv(world.head_a, world.a, data) == {"commitments": 1, "pledges": 1}


def test_wrong_encoding_is_refused_clearly_and_cp1252_accepted_when_chosen(world, client, auth):
    auth.login("chef.a@example.fr")
    latin = GOOD.decode("utf-8").lstrip("\ufeff").encode("cp1252")
    response = _post(client, world, latin)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "n’est pas en UTF-8" in page and "Windows-1252" in page
    assert _count(Commitment) == 0
    assert _post(client, world, latin, encoding="cp1252").status_code == 302
    db.session.expire_all()
    scopes = set(db.session.scalars(db.select(CommitmentVersion.scope)))
    assert scopes == {"Sous-traitants et équipementiers du bassin", "Scierie et seconde transformation"}


def test_ten_megabytes_are_refused_with_a_french_413(world, client, auth):
    auth.login("chef.a@example.fr")
    big = GOOD + b"automobile;jobs-created;2025;0;2030;250;0;;;;" * 230_000
    assert len(big) > 10_000_000
    response = _post(client, world, big)
    assert response.status_code == 413 and "trop volumineux" in response.get_data(as_text=True)
    assert _count(Commitment) == 0


def test_binary_and_empty_files_are_refused(world):
    with pytest.raises(csv_import.ImportRefused, match="importé"):
        csv_import.import_csv(world.head_a, world.a, b"PK\x03\x04\x00\x00binary")
    with pytest.raises(csv_import.ImportRefused) as refused:
        csv_import.import_csv(world.head_a, world.a, _csv())
    assert refused.value.problems == ["le fichier ne contient aucune ligne de données"]


def test_header_problems(world):
    with pytest.raises(csv_import.ImportRefused) as refused:
        csv_import.import_csv(world.head_a, world.a, _csv("x", header="filiere,indicateur,couleur"))
    problems = refused.value.problems
    assert "ligne 1 : colonne inconnue « couleur »" in problems
    assert "ligne 1 : colonne obligatoire manquante « annee_cible »" in problems


@pytest.mark.parametrize("who", ["head_b", "assistant_a", "observer"])
def test_importing_for_another_party_is_refused(world, who):
    with pytest.raises(Forbidden):
        csv_import.import_csv(getattr(world, who), world.a, GOOD)
    assert _count(Commitment) == 0


def test_importing_by_url_for_another_party_is_refused(world, client, auth):
    auth.login("chef.b@example.fr")
    assert _post(client, world, GOOD).status_code == 403
    assert _count(Commitment) == 0


def test_the_template_documents_the_layout_and_imports_cleanly(world, client):
    response = client.get("/cop/engagements/modele.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(csv_layout.COLUMNS)
    assert csv_import.import_csv(world.head_a, world.a, body) == {"commitments": 1, "pledges": 2}


def test_reimport_replaces_pledges_and_keeps_other_texts(world):
    csv_import.import_csv(world.head_a, world.a, GOOD)
    data = _csv("automobile;jobs-created;2025;0;2030;300;0;;;;", header=HEADER)
    csv_import.import_csv(world.head_a, world.a, data)
    draft = db.session.scalar(db.select(CommitmentVersion).join(Commitment).where(
        Commitment.sector_id == world.sectors["automobile"].id))
    assert [(p.indicator.code, p.unconditional_value) for p in draft.pledges] == [("jobs-created", Decimal(300))]
    assert draft.scope == "Sous-traitants et équipementiers du bassin" and draft.support_requests == []


def test_one_support_request_repeated_on_two_lines_is_imported_once_for_both(world, client, auth):
    auth.login("chef.a@example.fr")
    data = _csv("automobile;jobs-created;2025;0;2030;250;100;bpifrance;2 000 000;Robotisation;",
                "automobile;investment;2025;0;2030;1 000;500;bpifrance;2 000 000;robotisation ;",
                "automobile;jobs-maintained;2025;0;2030;30;10;region;50 000;Formation;")
    assert _post(client, world, data).status_code == 302
    db.session.expire_all()
    version = db.session.scalar(db.select(CommitmentVersion))
    supports = version.support_requests
    assert len(supports) == 2 and supports[0].amount == Decimal("2000000")
    assert [p.indicator.code for p in supports[0].pledges] == ["jobs-created", "investment"]
    assert [p.indicator.code for p in supports[1].pledges] == ["jobs-maintained"]


def test_import_page_lists_the_codes_and_says_priorities_come_first(world, client, auth):
    auth.login("chef.a@example.fr")
    page = client.get(f"/cop/{world.conference.id}/parties/{world.a.id}/import").get_data(as_text=True)
    indicator = world.indicators["jobs-created"]
    assert "<code>chimie-materiaux</code>" in page or "<code>automobile</code>" in page
    assert f"<code>{indicator.code}</code>" in page and indicator.unit in page
    assert "filières prioritaires" in page and "d’abord" in page
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and page.count('id="codes-filieres"') == 1  # the codes are listed once, in the page
