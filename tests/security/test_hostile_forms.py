"""Every posting form, every field at once, hostile values: a 400 in French for control characters, and never a 500,
a traceback or a bare Werkzeug page for numbers beyond the database's range or other malformed values."""
from datetime import datetime, timezone

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from cop.db import db
from cop.meetings.models import AgendaItem, Meeting
from tests.commitment_helpers import build_world, draft_input, file
from tests.factories import PASSWORD

HOSTILE = {
    "nul": "a\x00b",
    "control": "x\x1by",
    "huge": "9" * 40,
    "beyond bigint": str(2**63),
    "beyond int": str(2**31),
    "negative huge": "-" + "9" * 30,
    "exponent": "1e999",
    "nan": "NaN",
    "blank": "   ",
    "long": "é" * 5_000,
    "right-to-left": "\u202e4202",
    "arabic digits": "١٢٣",
}


def _fields() -> set[str]:
    """Every field name of every form of the application, and what the command forms post."""
    names, todo = set(), list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        for klass in form.__mro__:
            names |= {k for k, v in vars(klass).items() if isinstance(v, UnboundField)}
    return names | {"name", "args", "command_id", "present", "paragraph_id", "item_id", "vote_id", "version", "text",
                    "explanation", "kind", "choice", "reason", "question", "back_item", "amendment_id", "window_id"}


@pytest.fixture
def world(make):
    """A COP with a filed commitment, a meeting with an item, and a presidency member who is also administrator."""
    world = build_world(make, phase="call_for_commitments")
    commitment = file(world, world.a, sorted(world.sectors)[0], draft_input())
    world.presidency.is_admin = True
    meeting = Meeting(conference_id=world.conference.id, kind="informal", title="Consultation",
                      chair_id=world.presidency.id, starts_dt=datetime(2027, 3, 1, 9, tzinfo=timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    item = AgendaItem(meeting_id=meeting.id, position=1, title="Point")
    db.session.add(item)
    db.session.commit()
    world.ids = {"conference_id": world.conference.id, "party_id": world.a.id, "commitment_id": commitment.id,
                 "number": 1, "membership_id": world.delegate_a.id if isinstance(world.delegate_a.id, int) else 1,
                 "meeting_id": meeting.id, "item_id": item.id, "report_id": 1, "code": sorted(world.sectors)[0],
                 "secret": "x" * 43, "action": None}
    return world


def _urls(app, ids: dict) -> list[str]:
    """One URL per posting route, with real ids."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "static":
            continue
        values = {name: ids.get(name, 1) for name in rule.arguments}
        if "action" in rule.arguments:
            values["action"] = "up" if "up" in str(rule._converters["action"].regex) else "epci"
        urls.append(rule.build(values, append_unknown=False)[1])
    assert len(urls) >= 40
    return sorted(urls, key=lambda url: url == "/auth/logout")  # log out last


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_form_refuses_hostile_values_cleanly(app, world, kind):
    value = HOSTILE[kind]
    fields = {name: value for name in _fields()}
    for who in (world.presidency, world.head_a):  # the presidency's forms, then a delegation's
        client = app.test_client()
        assert client.post("/auth/login", data={"email": who.email, "password": PASSWORD}).status_code == 302
        _post_everywhere(app, client, world, kind, fields)


def _post_everywhere(app, client, world, kind: str, fields: dict) -> None:
    """Post the hostile fields to every posting route and check the answer."""
    for url in _urls(app, world.ids):
        response = client.post(url, data=fields)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (url, response.status_code)
        assert "Traceback" not in body and "Werkzeug" not in body, url
        if kind in ("nul", "control"):
            assert response.status_code == 400 and "caractères de contrôle" in body, url
        if response.status_code == 400:
            assert 'lang="fr"' in body or response.is_json, url


def test_a_json_body_and_a_query_string_are_guarded_too(client, world):
    assert client.post("/auth/login", json={"email": "a\x00b"}).status_code == 400
    assert client.get("/recherche?q=a%00b").status_code == 400


def test_the_api_answers_a_value_the_database_cannot_hold_as_its_document_says(client):
    """The read-only API takes any string (its OpenAPI document), but PostgreSQL holds no NUL: a documented 422.
    A region code is compared in SQL; the place search `q` reads an in-memory index, where a NUL finds nothing."""
    response = client.get("/api/v1/conferences?region=a%00b")
    expected = 422 if db.engine.dialect.name == "postgresql" else 200
    assert response.status_code == expected and response.is_json
    search = client.get("/api/v1/territories?q=a%00b")
    assert search.status_code == 200 and search.get_json()["items"] == []
