"""Accounts: login, logout, session rotation, password change and reset, CSRF."""
import re
from datetime import timedelta

import pytest

from cop import create_app
from cop.auth import passwords
from cop.auth.models import AccountToken, User
from cop.config import TestConfig
from cop.db import db, utcnow
from tests.factories import PASSWORD
from tests.fresh_client import link, make_client, sync

REFUSED = "Adresse électronique ou mot de passe incorrect."
NEW_PASSWORD = "un-nouveau-mot-de-passe"


@pytest.fixture
def client(app):
    """A browser whose requests do not share `g` or the database session with the test."""
    return make_client(app)


def _login(client, email, password=PASSWORD, next_url=None):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def _is_logged_in(client) -> bool:
    return client.get("/auth/compte").status_code == 200


def test_login_success_opens_a_session(client, make):
    make.user(email="camille@example.fr", name="Camille Martin")
    sync()
    response = _login(client, "Camille@Example.fr ")
    assert response.status_code == 302 and response.headers["Location"] == "/tableau-de-bord"
    page = client.get("/auth/compte").get_data(as_text=True)
    assert "Camille Martin" in page and "<h1>Mon compte</h1>" in page


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    make.user(email="camille@example.fr")
    sync()
    wrong = _login(client, "camille@example.fr", "pas-le-bon-mot-de-passe")
    unknown = _login(client, "personne@example.fr", "pas-le-bon-mot-de-passe")
    assert wrong.status_code == unknown.status_code == 401
    wrong_page = wrong.get_data(as_text=True).replace("camille@example.fr", "EMAIL")
    unknown_page = unknown.get_data(as_text=True).replace("personne@example.fr", "EMAIL")
    assert REFUSED in wrong_page
    assert wrong_page == unknown_page
    assert not _is_logged_in(client)


def test_unknown_email_costs_one_password_verification(client, make, monkeypatch):
    """Same work either way: one argon2 verification, no hashing on the request path."""
    make.user(email="camille@example.fr")
    sync()
    passwords._dummy_hash(1, 1024)  # warm the cache as a running server would have
    calls = {"verify": 0, "hash": 0}
    real_verify, real_hash = passwords.PasswordHasher.verify, passwords.PasswordHasher.hash

    def verify(self, *args):
        calls["verify"] += 1
        return real_verify(self, *args)

    def hash_(self, *args, **kwargs):
        calls["hash"] += 1
        return real_hash(self, *args, **kwargs)

    monkeypatch.setattr(passwords.PasswordHasher, "verify", verify)
    monkeypatch.setattr(passwords.PasswordHasher, "hash", hash_)
    for email in ("camille@example.fr", "personne@example.fr", "pas-une-adresse"):
        calls.update(verify=0, hash=0)
        assert _login(client, email, "pas-le-bon-mot-de-passe").status_code == 401
        assert calls == {"verify": 1, "hash": 0}, email


def test_disabled_account_cannot_log_in(client, make):
    make.user(email="ancien@example.fr", is_disabled=True)
    sync()
    response = _login(client, "ancien@example.fr")
    assert response.status_code == 401
    assert REFUSED in response.get_data(as_text=True)
    assert not _is_logged_in(client)


def test_disabling_an_account_ends_its_session(client, make):
    user = make.user(email="camille@example.fr")
    sync()
    _login(client, "camille@example.fr")
    assert _is_logged_in(client)
    db.session.get(User, user.id).is_disabled = True
    db.session.commit()
    assert client.get("/auth/compte").status_code == 302


def test_empty_login_form_is_422_in_french(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Indiquez votre adresse électronique." in page
    assert 'aria-describedby="email-error"' in page and 'aria-invalid="true"' in page


def test_login_follows_a_local_next(client, make):
    make.user(email="camille@example.fr")
    sync()
    response = _login(client, "camille@example.fr", next_url="/cop/")
    assert response.headers["Location"] == "/cop/"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "/%09/evil.example", "javascript:alert(1)",
    "http:/evil.example", "evil.example",
])
def test_login_refuses_open_redirect(client, make, target):
    make.user(email="camille@example.fr")
    sync()
    response = client.post("/auth/login", query_string={"next": target.replace("%09", "\t")},
                           data={"email": "camille@example.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/tableau-de-bord"


def test_logout_is_post_only(client, make):
    make.user(email="camille@example.fr")
    sync()
    _login(client, "camille@example.fr")
    assert client.get("/auth/logout").status_code == 405
    assert _is_logged_in(client)
    assert client.post("/auth/logout").status_code == 302
    assert not _is_logged_in(client)


def test_a_second_device_logs_in_without_ending_the_first_and_logout_ends_both(app, make):
    make.user(email="camille@example.fr")
    sync()
    first, second = make_client(app), make_client(app)
    _login(first, "camille@example.fr")
    anonymous_before = second.get_cookie("session")
    _login(second, "camille@example.fr")
    assert _is_logged_in(first) and _is_logged_in(second)
    if anonymous_before is not None:
        replay = make_client(app)
        replay.set_cookie("session", anonymous_before.value)
        assert not _is_logged_in(replay)
    second.post("/auth/logout")
    assert not _is_logged_in(first)


def test_old_session_cookie_stops_working_after_logout(app, make):
    make.user(email="camille@example.fr")
    sync()
    browser = make_client(app)
    _login(browser, "camille@example.fr")
    kept = browser.get_cookie("session").value
    browser.post("/auth/logout")
    replay = make_client(app)
    replay.set_cookie("session", kept)
    assert not _is_logged_in(replay)


def test_login_renews_the_session_but_keeps_the_language(client, make):
    make.user(email="camille@example.fr")
    sync()
    client.get("/langue/en")
    before = client.get_cookie("session").value
    _login(client, "camille@example.fr")
    assert client.get_cookie("session").value != before
    assert 'lang="en"' in client.get("/auth/compte").get_data(as_text=True)


def test_account_lists_memberships(client, make):
    conference = make.conference(title="COP industrielle AURA 2027")
    party = make.party(conference, name="Grenoble-Alpes Métropole", kind="epci")
    make.member(conference, "head_of_delegation", party, make.user(email="chef@example.fr"))
    sync()
    _login(client, "chef@example.fr")
    page = client.get("/auth/compte").get_data(as_text=True)
    assert "COP industrielle AURA 2027" in page
    assert "Chef de délégation" in page and "Grenoble-Alpes Métropole" in page
    assert f"/cop/{conference.id}/parties/{party.id}/delegation" in page
    assert "<caption>" in page and page.count("<h1>") == 1


def test_account_requires_login(client):
    response = client.get("/auth/compte")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_password_change_keeps_this_session_and_ends_the_others(app, make):
    make.user(email="camille@example.fr")
    sync()
    here = make_client(app)
    _login(here, "camille@example.fr")
    replay = make_client(app)
    replay.set_cookie("session", here.get_cookie("session").value)
    assert _is_logged_in(replay)
    response = here.post("/auth/compte", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _is_logged_in(here)
    assert not _is_logged_in(replay)
    assert _login(make_client(app), "camille@example.fr", NEW_PASSWORD).status_code == 302
    assert _login(make_client(app), "camille@example.fr", PASSWORD).status_code == 401


@pytest.mark.parametrize("data, message", [
    ({"current": "pas-le-bon", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
     "Le mot de passe actuel est incorrect."),
    ({"current": PASSWORD, "password": "court", "confirm": "court"}, "au moins 10 caractères"),
    ({"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}, "ne sont pas identiques"),
])
def test_password_change_refusals_write_nothing(client, make, data, message):
    user = make.user(email="camille@example.fr")
    sync()
    before = (user.password_hash, user.session_nonce)
    _login(client, "camille@example.fr")
    sync()
    nonce = db.session.get(User, user.id).session_nonce
    response = client.post("/auth/compte", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    sync()
    after = db.session.get(User, user.id)
    assert after.password_hash == before[0] and after.session_nonce == nonce
    assert _is_logged_in(client)


# Password reset ---------------------------------------------------------------------------------------------

def _ask_reset(client, email):
    """Ask for a link; closing the response runs what a WSGI server runs once the answer has left."""
    response = client.post("/auth/mot-de-passe-oublie", data={"email": email})
    response.close()
    return response


def test_reset_request_gives_the_same_answer_for_any_address(client, make, caplog):
    make.user(email="camille@example.fr")
    sync()
    known = _ask_reset(client, "camille@example.fr")
    known_flash = client.get("/auth/login").get_data(as_text=True)
    assert "/auth/mot-de-passe/" in caplog.text
    caplog.clear()
    unknown = _ask_reset(client, "personne@example.fr")
    unknown_flash = client.get("/auth/login").get_data(as_text=True)
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert known_flash == unknown_flash and "Si un compte actif existe" in known_flash
    assert "/auth/mot-de-passe/" not in caplog.text
    assert db.session.scalar(db.select(db.func.count()).select_from(AccountToken)) == 1


def test_reset_request_for_a_disabled_account_sends_nothing(client, make, caplog):
    make.user(email="ancien@example.fr", is_disabled=True)
    sync()
    assert _ask_reset(client, "ancien@example.fr").status_code == 302
    assert "/auth/mot-de-passe/" not in caplog.text


def test_reset_request_refuses_a_malformed_address(client):
    response = _ask_reset(client, "pas une adresse")
    assert response.status_code == 422
    assert "Adresse électronique invalide." in response.get_data(as_text=True)


def test_reset_sets_the_password_consumes_the_link_and_ends_sessions(app, client, make, caplog):
    make.user(email="camille@example.fr")
    sync()
    logged_in = make_client(app)
    _login(logged_in, "camille@example.fr")
    _ask_reset(client, "camille@example.fr")
    _ask_reset(client, "camille@example.fr")  # a second link, made useless by the first one's use
    older = link(caplog, "/auth/mot-de-passe/")
    caplog.clear()
    _ask_reset(client, "camille@example.fr")
    secret = link(caplog, "/auth/mot-de-passe/")
    page = client.get(f"/auth/mot-de-passe/{secret}")
    assert page.status_code == 200 and "camille@example.fr" in page.get_data(as_text=True)
    response = client.post(f"/auth/mot-de-passe/{secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert not _is_logged_in(logged_in)
    assert _login(make_client(app), "camille@example.fr", NEW_PASSWORD).status_code == 302
    sync()
    assert db.session.scalar(db.select(db.func.count()).select_from(AccountToken)
                             .where(AccountToken.used_dt.is_(None))) == 0
    for used in (secret, older):
        again = client.post(f"/auth/mot-de-passe/{used}",
                            data={"password": "encore-un-autre", "confirm": "encore-un-autre"})
        assert again.status_code == 410
        assert "déjà été utilisé" in again.get_data(as_text=True)
    assert _login(make_client(app), "camille@example.fr", NEW_PASSWORD).status_code == 302


def test_expired_reset_link_is_refused_and_changes_nothing(app, client, make, caplog):
    user = make.user(email="camille@example.fr")
    sync()
    _ask_reset(client, "camille@example.fr")
    secret = link(caplog, "/auth/mot-de-passe/")
    sync()
    token = db.session.scalar(db.select(AccountToken))
    token.expires_dt = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/auth/mot-de-passe/{secret}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.get_data(as_text=True)
    sync()
    assert db.session.get(AccountToken, token.id).used_dt is None
    assert db.session.get(User, user.id).password_hash == user.password_hash
    assert _login(make_client(app), "camille@example.fr").status_code == 302


@pytest.mark.parametrize("secret", ["inconnu", "x" * 300])
def test_unknown_reset_link_is_404(client, secret):
    response = client.get(f"/auth/mot-de-passe/{secret}")
    assert response.status_code == 404
    assert "Ce lien n&#39;est pas valide" in response.get_data(as_text=True)


def test_reset_refuses_a_short_password_and_keeps_the_link(client, make, caplog):
    make.user(email="camille@example.fr")
    sync()
    _ask_reset(client, "camille@example.fr")
    secret = link(caplog, "/auth/mot-de-passe/")
    response = client.post(f"/auth/mot-de-passe/{secret}", data={"password": "court", "confirm": "court"})
    assert response.status_code == 422
    assert "au moins 10 caractères" in response.get_data(as_text=True)
    sync()
    assert db.session.scalar(db.select(AccountToken)).used_dt is None


# CSRF -------------------------------------------------------------------------------------------------------

@pytest.fixture
def csrf_app(app):
    """The same application with CSRF protection on, as in production."""
    config = type("CsrfConfig", (TestConfig,), {
        "WTF_CSRF_ENABLED": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    protected = create_app(config)
    yield protected
    with protected.app_context():
        db.engine.dispose()


def test_post_without_csrf_token_is_refused_in_french(csrf_app, make):
    make.user(email="camille@example.fr")
    sync()
    browser = csrf_app.test_client()
    response = browser.post("/auth/login", data={"email": "camille@example.fr", "password": PASSWORD})
    assert response.status_code == 400
    assert "Le formulaire a expiré ou n&#39;est pas valide" in response.get_data(as_text=True)
    assert browser.get("/auth/compte").status_code == 302


def test_post_with_csrf_token_is_accepted(csrf_app, make):
    make.user(email="camille@example.fr")
    sync()
    browser = csrf_app.test_client()
    form = browser.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = browser.post("/auth/login", data={"email": "camille@example.fr", "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302
