"""Forgot-password: the same answer in the same time for any address, a throttle, and no link in production logs."""
import logging

from sqlalchemy import event

from cop.auth import throttle
from cop.auth.models import AccountToken
from cop.db import db
from tests.fresh_client import sync

PAGE = "/auth/mot-de-passe-oublie"


def _tokens() -> int:
    sync()
    return db.session.scalar(db.select(db.func.count()).select_from(AccountToken))


def _answer_and_work(client, email: str):
    """The answer, the SQL run before it left, and the SQL run after (as a WSGI server closes the response)."""
    engine, before, after = db.engine, [], []
    sink = before

    def capture(conn, cursor, statement, *args):
        sink.append(statement)
    event.listen(engine, "before_cursor_execute", capture)
    try:
        response = client.post(PAGE, data={"email": email}, buffered=False,
                               environ_base={"REMOTE_ADDR": "198.51.100.9"})
        sink = after
        response.close()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return response, before, after


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(client, make):
    make.user(email="camille@example.fr")
    sync()
    _answer_and_work(client, "premiere@example.fr")  # the first write of the run creates the publication stamp
    known, known_before, known_after = _answer_and_work(client, "camille@example.fr")
    unknown, unknown_before, unknown_after = _answer_and_work(client, "personne@example.fr")
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    # Before the answer: the same statements, none reading accounts or writing a link.
    assert known_before == unknown_before
    assert not any("user_account" in s or "account_token" in s for s in known_before)
    # After it: the account is looked up in both cases; only the known one gets a link.
    assert any("user_account" in s for s in known_after) and any("user_account" in s for s in unknown_after)
    assert _tokens() == 1


def test_one_account_gets_at_most_three_links_an_hour_from_anywhere(app, make):
    make.user(email="camille@example.fr")
    sync()
    for n in range(20):
        response = app.test_client().post(PAGE, data={"email": "camille@example.fr"},
                                          environ_base={"REMOTE_ADDR": f"203.0.113.{n}"})
        response.close()
        assert response.status_code == 302  # the same answer throughout
    assert _tokens() == throttle.RESET_PER_ACCOUNT


def test_one_address_asking_for_many_accounts_is_refused(client, make):
    for n in range(throttle.RESET_PER_CLIENT):
        client.post(PAGE, data={"email": f"x{n}@example.fr"}, environ_base={"REMOTE_ADDR": "203.0.113.9"}).close()
    refused = client.post(PAGE, data={"email": "y@example.fr"}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert refused.status_code == 429 and "Trop de demandes" in refused.get_data(as_text=True)


def test_reset_links_never_reach_the_log_in_production(app, client, make, caplog):
    make.user(email="camille@example.fr")
    sync()
    caplog.set_level(logging.DEBUG)
    app.config["COP_MAIL_LOG_BODY"] = False  # what COP_ENV=production sets by default
    try:
        client.post(PAGE, data={"email": "camille@example.fr"}).close()
    finally:
        app.config["COP_MAIL_LOG_BODY"] = True
    assert _tokens() == 1
    assert "Courriel non envoyé" in caplog.text and "/auth/mot-de-passe/" not in caplog.text
