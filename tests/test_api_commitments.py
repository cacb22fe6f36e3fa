"""The read-only JSON API: commitments (filters, pagination, public versions only) and the synthesis."""
from decimal import Decimal

import pytest

from cop.commitments import services
from cop.db import db
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make)
    make.target(w.conference, w.sectors["automobile"], w.indicators["jobs-created"], 1000)
    db.session.commit()
    return w


def _filed(world):
    """A accepted in automobile (v1 accepted, v2 draft), B submitted in automobile and accepted in bois."""
    auto_a = file(world, world.a, "automobile", draft_input("200", "100"))
    services.open_draft(world.head_a, auto_a)
    file(world, world.b, "automobile", draft_input("300"), accept=False)
    file(world, world.b, "bois", draft_input("40"))
    services.declare_priority(world.head_a, world.a, world.sectors["eau"], "Rivières.")
    draft_only = services.start_commitment(world.head_a, world.a, world.sectors["eau"])
    db.session.commit()
    return auto_a, draft_only


def test_list_shows_filed_commitments_only_with_filters(world, client):
    _filed(world)
    url = f"/api/v1/conferences/{world.conference.id}/commitments"
    body = client.get(url).get_json()
    assert body["total"] == 3 and {i["sector"]["code"] for i in body["items"]} == {"automobile", "bois"}
    assert client.get(url + "?status=accepted").get_json()["total"] == 2
    assert client.get(url + "?sector=bois").get_json()["items"][0]["party"]["name"] == "CC du Val B"
    assert client.get(url + f"?party={world.a.id}").get_json()["total"] == 1
    assert client.get(url + "?sector=automobile&status=submitted").get_json()["total"] == 1


def test_pagination(world, client):
    _filed(world)
    url = f"/api/v1/conferences/{world.conference.id}/commitments"
    first = client.get(url + "?per_page=2").get_json()
    assert (first["page"], first["pages"], len(first["items"]), first["previous"]) == (1, 2, 2, None)
    second = client.get(first["next"]).get_json()
    assert len(second["items"]) == 1 and second["next"] is None
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_line_of_the_list_is_the_summary_its_detail_gives(world, client, language):
    """The list writes its lines from plain rows; each must say what the commitment's own answer says (its
    party and territory, filière in the reader's language, status and latest public version: here v1 while v2 is a
    draft, and v2 of a commitment whose v1 was accepted)."""
    auto_a, _ = _filed(world)
    bois_b = file(world, world.b, "bois", draft_input("45"), accept=False)  # v2 submitted after v1 accepted
    db.session.commit()
    url = f"/api/v1/conferences/{world.conference.id}/commitments"
    headers = {"Accept-Language": language}
    listed = client.get(url, headers=headers).get_json()["items"]
    assert len(listed) == 3
    for line in listed:
        detail = client.get(line["url"], headers=headers).get_json()
        assert line == {key: detail[key] for key in line}, line["id"]
    assert next(line for line in listed if line["id"] == auto_a.id)["version"] == 1
    assert next(line for line in listed if line["id"] == bois_b.id)["version"] == 2


@pytest.mark.parametrize("query", ["?status=draft", "?status=nope", "?page=0", "?per_page=abc", "?party=x"])
def test_bad_parameters_are_422_json(world, client, query):
    response = client.get(f"/api/v1/conferences/{world.conference.id}/commitments{query}")
    assert response.status_code == 422 and response.get_json()["error"]["status"] == 422


def test_detail_has_public_versions_never_the_draft(world, client):
    auto_a, draft_only = _filed(world)
    url = f"/api/v1/conferences/{world.conference.id}/commitments"
    body = client.get(f"{url}/{auto_a.id}").get_json()
    assert [v["number"] for v in body["versions"]] == [1]
    pledge = body["versions"][0]["pledges"][0]
    assert (pledge["unconditional"], pledge["conditional_part"], pledge["conditional"]) == (200, 100, 300)
    assert body["versions"][0]["support_requests"][0]["indicators"] == ["jobs-created"]
    assert client.get(f"{url}/{draft_only.id}").status_code == 404
    assert client.get("/api/v1/conferences/999/commitments").status_code == 404


def test_detail_of_another_conference_is_404(world, client, make):
    auto_a, _ = _filed(world)
    other = make.conference(make.region("53", "Bretagne"))
    db.session.commit()
    assert client.get(f"/api/v1/conferences/{other.id}/commitments/{auto_a.id}").status_code == 404


def test_synthesis_rows_can_be_recomputed_from_the_commitments(world, client):
    _filed(world)
    cid = world.conference.id
    rows = client.get(f"/api/v1/conferences/{cid}/synthesis").get_json()["rows"]
    auto = next(r for r in rows if (r["sector"], r["indicator"]) == ("automobile", "jobs-created"))
    assert auto == {"sector": "automobile", "indicator": "jobs-created", "unit": "emplois", "target": 1000,
                    "target_year": 2030, "unconditional": 200, "conditional": 300, "gap_unconditional": 800,
                    "gap_conditional": 700, "parties": 1, "double_counting_avoided": 0}
    total = Decimal(0)
    for item in client.get(f"/api/v1/conferences/{cid}/commitments?sector=automobile&status=accepted")\
            .get_json()["items"]:
        versions = client.get(item["url"]).get_json()["versions"]
        accepted = [v for v in versions if v["status"] == "accepted"][-1]
        total += sum(Decimal(str(p["unconditional"])) for p in accepted["pledges"]
                     if p["indicator"]["code"] == "jobs-created")
    assert total == auto["unconditional"]


def test_synthesis_json_has_coverage_support_and_flags(world, client):
    _filed(world)
    body = client.get(f"/api/v1/conferences/{world.conference.id}/synthesis").get_json()
    assert body["coverage"]["filed"] == 2 and body["coverage"]["parties"] == 2
    assert body["support_by_funder"] == [{"funder": "bpifrance", "requests": 1, "amount": 500000}]
    assert body["flags"]["parties_without_commitment"] == []
    assert client.get("/api/v1/conferences/424242/synthesis").status_code == 404
