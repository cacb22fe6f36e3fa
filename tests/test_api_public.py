"""The public API: conferences, territories, the OpenAPI document, ETag, Cache-Control, CORS, and schemathesis."""
import pytest
import schemathesis
from schemathesis.generation import GenerationMode
from hypothesis import HealthCheck, given, settings

from cop.api.openapi import document
from cop.commitments.models import Commitment
from cop.db import db
from tests import portal_data


@pytest.fixture
def portal():
    data = portal_data.build()
    db.session.commit()
    return data


def test_conferences_list_with_filters(client, portal):
    body = client.get("/api/v1/conferences").get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["region"] == {"code": "84", "name": "Auvergne-Rhône-Alpes"}
    assert item["figures"] == {"parties": 3, "filing_parties": 3, "commitments": 3, "accepted": 1}
    assert client.get("/api/v1/conferences?phase=negotiation").get_json()["total"] == 0
    assert client.get("/api/v1/conferences?region=84&year=2027").get_json()["total"] == 1
    assert client.get("/api/v1/conferences?phase=bidon").status_code == 422
    assert client.get("/api/v1/conferences?year=deux").status_code == 422
    assert client.get(f"/api/v1/conferences/{portal.conference.id}").get_json()["code"] == portal.conference.code
    assert client.get("/api/v1/conferences/999").status_code == 404


@pytest.mark.parametrize("query,codes", [("69001", {"200046977"}), ("lyon", {"200046977"}),
                                         ("Saint", {"200046977", "200040715"}), ("grenoble", {"200040715"}),
                                         ("zzz", set())])
def test_territories_by_town_or_postcode(client, portal, query, codes):
    body = client.get("/api/v1/territories", query_string={"q": query}).get_json()
    assert {item["code"] for item in body["items"]} == codes


def test_territories_kind_and_one(client, portal):
    assert client.get("/api/v1/territories?kind=region").get_json()["total"] == 2
    assert client.get("/api/v1/territories?kind=planete").status_code == 422
    item = client.get(f"/api/v1/territories/epci/{portal.epci.code}").get_json()
    assert item["name"] == "Métropole de Lyon" and item["region_code"] == "84"
    assert client.get("/api/v1/territories/epci/000").status_code == 404


def test_etag_cache_control_and_cors_on_every_api_answer(client, portal):
    for url in ["/api/v1/conferences", f"/api/v1/conferences/{portal.conference.id}/commitments",
                f"/api/v1/conferences/{portal.conference.id}/synthesis", "/api/v1/territories?q=lyon",
                "/api/v1/openapi.json"]:
        response = client.get(url, headers={"Origin": "https://ailleurs.example"})
        assert response.status_code == 200, url
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Cache-Control"] == "public, no-cache"
        etag = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options("/api/v1/conferences", headers={"Origin": "https://x.example",
                                                               "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_api_shows_an_accepted_commitment_at_once(client, portal):
    url = f"/api/v1/conferences/{portal.conference.id}/synthesis"
    before = client.get(url)
    row = before.get_json()["rows"][0]
    assert row["unconditional"] == 700  # Lyon 400 + Grenoble 300 (its accepted version 1)
    stepped = db.session.get(Commitment, portal.stepped.id)
    stepped.versions[-1].status, stepped.status = "accepted", "accepted"
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["rows"][0]["unconditional"] == 600


def test_openapi_covers_every_api_route(app):
    documented = set(document()["paths"])
    routes = {rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == documented
    assert document()["openapi"] == "3.1.0"


def test_api_conforms_to_its_openapi_document(app, portal):
    """Schemathesis generates requests for every operation; every answer must match the document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Schemathesis leaves out the document it was loaded from.
    assert {op.path for op in operations} == set(document()["paths"]) - {"/api/v1/openapi.json"}
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    for operation, mode in [(operation, mode) for operation in operations for mode in modes]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck),
                  database=None)
        def check(case):
            case.call_and_validate()

        check()
