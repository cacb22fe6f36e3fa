"""Structured logs: one JSON line per request with its request id, the id in the audit record, no secret."""
import io
import json
import logging
import re

import pytest

from cop.audit.models import AuditEvent
from cop.conferences.models import Membership
from cop.db import db
from cop.logs import JsonFormatter
from tests.factories import PASSWORD
from tests.fresh_client import make_client, sync


@pytest.fixture
def lines():
    """Every log record of the run, formatted as the production log writes it; returns a reader of the lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root, cop = logging.getLogger(), logging.getLogger("cop")
    root.addHandler(handler)
    level = cop.level
    cop.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    cop.setLevel(level)


def test_one_json_line_per_request_with_the_given_or_a_new_request_id(client, lines):
    given = client.get("/healthz", headers={"X-Request-Id": "nginx-4f2a9c81e0"})
    assert given.headers["X-Request-Id"] == "nginx-4f2a9c81e0"
    made = client.get("/nulle-part", headers={"X-Request-Id": "pas un identifiant !"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-Id"])
    requests = [line for line in lines() if line["logger"] == "cop.request"]
    assert [(r["request_id"], r["route"], r["status"], r["method"]) for r in requests] == [
        ("nginx-4f2a9c81e0", "/healthz", 200, "GET"), (made.headers["X-Request-Id"], None, 404, "GET")]
    assert all(r["duration_ms"] >= 0 and r["level"] == "info" for r in requests)


def test_the_request_id_reaches_the_audit_record(app, make):
    conference = make.conference()
    party = make.party(conference)
    secretariat = make.member(conference, "secretariat", user_obj=make.user(email="secretariat@example.fr"))
    delegate = make.member(conference, "delegate", party, is_accredited=False)
    sync()
    membership = db.session.scalar(db.select(Membership).filter_by(user_id=delegate.id))
    browser = make_client(app)
    login = browser.post("/auth/login", data={"email": "secretariat@example.fr", "password": PASSWORD})
    assert login.status_code == 302
    response = browser.post(f"/cop/{conference.id}/membres/{membership.id}/accreditation", data={"value": "1"},
                            headers={"X-Request-Id": "web-accredit-0001"})
    assert response.status_code == 302
    sync()
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="membership.accreditation_set"))
    assert event.request_id == "web-accredit-0001" and event.actor_id == secretariat.id


def test_logs_hold_no_password_reset_link_token_or_cookie(app, make, lines, caplog):
    caplog.set_level(logging.INFO)
    make.user(email="camille@example.fr")
    sync()
    browser = make_client(app)
    browser.post("/auth/mot-de-passe-oublie", data={"email": "camille@example.fr"}).close()  # sent on close
    secret = re.findall(r"/auth/mot-de-passe/([A-Za-z0-9_\-]+)", caplog.text)[-1]  # the development log has it
    assert browser.get(f"/auth/mot-de-passe/{secret}").status_code == 200
    browser.post("/auth/login", data={"email": "camille@example.fr", "password": PASSWORD})
    browser.post("/auth/login", data={"email": "camille@example.fr", "password": "mauvais-mot-de-passe-42"})
    cookie = browser.get_cookie("session")
    written = json.dumps(lines(), ensure_ascii=False)
    assert "cop.request" in written and "Courriel non envoyé" in written
    for leak in (secret, PASSWORD, "mauvais-mot-de-passe-42", cookie.value if cookie else "no-cookie-here"):
        assert leak not in written
    assert "/auth/mot-de-passe/[secret]" in written
