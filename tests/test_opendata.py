"""Open data: every public table as CSV and JSON, a Frictionless package that validates, drafts never published."""
import csv
import io
import json

import frictionless
import pytest

from cop.db import db
from cop.opendata.catalogue import TABLES
from cop.opendata.writers import csv_cell
from tests import portal_data


@pytest.fixture
def portal():
    data = portal_data.build()
    db.session.commit()
    return data


def test_datapackage_validates_with_frictionless(client, portal, tmp_path):
    package = client.get("/opendata/datapackage.json").get_json()
    assert package["licenses"][0]["name"] == "etalab-2.0"
    for resource in package["resources"]:
        name = resource["path"].rsplit("/", 1)[1]
        response = client.get(f"/opendata/{name}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        (tmp_path / name).write_bytes(response.data)
        resource["path"] = name
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert len(package["resources"]) == len(TABLES)


def test_csv_and_json_carry_published_rows_only(client, portal):
    versions = list(csv.DictReader(io.StringIO(client.get("/opendata/versions.csv").get_data(as_text=True))))
    assert {row["status"] for row in versions} == {"accepted", "submitted"}
    assert all("Secret brouillon" not in row["actions"] for row in versions)
    commitments = client.get("/opendata/engagements.json").get_json()
    assert portal.draft_only.id not in {row["id"] for row in commitments}
    assert len(commitments) == 3
    pledges = client.get("/opendata/cibles.json").get_json()
    assert 999 not in {row["unconditional_value"] for row in pledges}


def test_outcomes_published_but_never_a_draft_roadmap(client, portal):
    versions = client.get("/opendata/feuilles_de_route.json").get_json()
    assert [(v["number"], v["state"]) for v in versions] == [(1, "adopted")]
    assert len(client.get("/opendata/signatures.json").get_json()) == 1
    assert client.get("/opendata/rapports_avancement.json").get_json()[0]["achieved_value"] == 120.5
    decisions = client.get("/opendata/decisions.csv").get_data(as_text=True)
    assert "'=La feuille de route est adoptée." in decisions


def test_formula_cells_are_neutralised_and_semicolon_option(client, portal):
    body = client.get("/opendata/demandes_appui.csv?separateur=point-virgule").get_data(as_text=True)
    header, row = body.splitlines()[:2]
    assert header == "id;version_id;funder;amount;purpose"
    assert row.endswith(";'=1+1")
    versions = client.get("/opendata/versions.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in versions


@pytest.mark.parametrize("value,expected", [("=SUM(A1)", "'=SUM(A1)"), ("+33 1", "'+33 1"), ("-x", "'-x"),
                                            ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("ok", "ok"), (-5, "-5"),
                                            (True, "true"), (None, "")])
def test_csv_cell(value, expected):
    assert csv_cell(value) == expected


def test_unknown_table_and_separator(client):
    assert client.get("/opendata/utilisateurs.csv").status_code == 404
    assert client.get("/opendata/user_account.json").status_code == 404
    assert client.get("/opendata/territoires.csv?separateur=tab").status_code == 400


def test_large_table_is_streamed(client, portal, make):
    region = portal.conference.region
    for index in range(2500):
        db.session.add(make.Territory(kind="departement", code=f"D{index}", name=f"Département {index}",
                                      search_name=f"departement {index}", population=1, region_id=region.id))
    db.session.commit()
    response = client.get("/opendata/territoires.csv")
    assert response.is_streamed
    assert len(response.get_data(as_text=True).splitlines()) == 1 + 2500 + 5
    assert len(client.get("/opendata/territoires.json").get_json()) == 2505
