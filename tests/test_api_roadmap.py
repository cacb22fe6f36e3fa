"""GET /api/v1/conferences/<id>/roadmap/versions: public versions only, each with its hash and its signatures."""
from cop.db import db
from cop.roadmap import signatures
from tests.factories import PASSWORD
from tests.roadmap.test_adoption import adopted


def test_adopted_version_with_its_hash_and_signatures(client, make):
    s, version = adopted(make)
    signatures.sign(s.heads[0], version, s.parties[0], version.sha256, password=PASSWORD)
    db.session.commit()
    body = client.get(f"/api/v1/conferences/{s.conference.id}/roadmap/versions").get_json()
    states = [item["state"] for item in body["items"]]
    assert "draft" not in states and states[-1] == "adopted"
    last = body["items"][-1]
    assert last["sha256"] == version.sha256 and len(last["sha256"]) == 64
    assert last["signatures"] == [{"party": {"id": s.parties[0].id, "name": s.parties[0].name, "kind": "epci",
                                             "territory_code": s.parties[0].territory.code},
                                   "sha256": version.sha256, "signed_at": last["signatures"][0]["signed_at"],
                                   "matches": True}]
    assert client.get(last["json_url"]).headers["X-Roadmap-SHA256"] == version.sha256
    assert client.get("/api/v1/conferences/424242/roadmap/versions").status_code == 404
