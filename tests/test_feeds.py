"""Atom feeds of new and revised commitments, and the publication stamp that keys the caches."""
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import update

from cop.commitments.models import Commitment
from cop.db import db
from cop.public import stamp
from tests import portal_data

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def portal():
    data = portal_data.build()
    db.session.commit()
    return data


def entries(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.find(f"{ATOM}updated").text.endswith("+00:00")
    return root.findall(f"{ATOM}entry")


def test_conference_feed_lists_new_and_revised_commitments_never_drafts(client, portal):
    items = entries(client, f"/flux/cop/{portal.conference.id}.atom")
    titles = [item.find(f"{ATOM}title").text for item in items]
    assert len(items) == 4  # Lyon v1, Grenoble v1 and v2, the hostile party's v1; never the draft
    assert any("révision (version 2)" in title and "en recul" in title for title in titles)
    assert any(title.startswith("Métropole de Lyon — ") and "nouvel engagement" in title for title in titles)
    link = items[0].find(f"{ATOM}link").get("href")
    assert "/engagements/" in link and "/versions/" in link


def test_territory_feed_and_escaped_summary(client, portal):
    items = entries(client, f"/flux/territoires/epci/{portal.other_epci.code}.atom")
    assert len(items) == 2
    hostile = entries(client, "/flux/territoires/epci/200000001.atom")[0]
    summary = hostile.find(f"{ATOM}summary").text
    assert "<script>" not in summary and "javascript:" not in summary
    assert client.get("/flux/territoires/epci/000.atom").status_code == 404
    assert client.get("/flux/cop/999.atom").status_code == 404


def test_decisions_and_roadmap_feed(client, portal):
    items = entries(client, f"/flux/cop/{portal.conference.id}/decisions.atom")
    titles = sorted(item.find(f"{ATOM}title").text for item in items)
    assert titles == ["Décision 1 : adoptée", "Feuille de route, version 1 adoptée (Décision 1/COP)"]
    assert client.get("/flux/cop/999/decisions.atom").status_code == 404


def test_stamp_changes_with_public_writes_only(app, portal, make):
    scopes = ("global", "all", f"cop:{portal.conference.id}", "cop:?")
    before = stamp.current(db.engine, scopes)
    assert before is not None
    make.user(email="quelquun@example.fr")
    db.session.commit()
    assert stamp.current(db.engine, scopes) == before
    db.session.execute(update(Commitment).where(Commitment.id == portal.stepped.id).values(status="accepted"))
    db.session.commit()
    after_bulk = stamp.current(db.engine, scopes)
    assert after_bulk[0] == before[0] and after_bulk[1] != before[1] and after_bulk[3] != before[3]
    item = db.session.get(Commitment, portal.accepted.id)
    item.withdrawal_reason = "Annulé"
    db.session.rollback()
    db.session.commit()
    assert stamp.current(db.engine, scopes) == after_bulk


def test_page_cache_stays_within_its_byte_bound(app, client, portal, monkeypatch):
    from cop.public import cache

    monkeypatch.setattr(cache, "MAX_BYTES", 200_000)
    for index in range(40):
        assert client.get(f"/?n={index}").status_code == 200
    store = app.extensions["cop_page_cache"]
    assert 0 < store.size <= 200_000
    assert store.size == sum(len(entry[1]) for entry in store.entries.values())
    assert ("localhost", "/?n=39", "fr") in store.entries and ("localhost", "/?n=0", "fr") not in store.entries
