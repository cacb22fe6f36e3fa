"""Password guessing is slowed down across processes, per (account, address), and never locks a known device out."""
from datetime import timedelta

from sqlalchemy import update

from cop import create_app
from cop.auth import throttle
from cop.auth.models import ThrottleHit
from cop.config import TestConfig
from cop.db import db
from tests.fresh_client import FreshClient

WRONG = "mauvais-mot-de-passe"


def _try(client, email, password, addr="10.0.0.1", **headers):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr}, headers=headers)


def _age_hits(minutes: int) -> None:
    """Move every counted failure back in time (as if the attacker had paused)."""
    db.session.execute(update(ThrottleHit).values(created_dt=ThrottleHit.created_dt - timedelta(minutes=minutes)))
    db.session.commit()


def test_ten_failures_of_a_pair_block_that_pair_only(client, app, make):
    user = make.user(email="camille@example.fr")
    db.session.commit()
    for _ in range(throttle.MAX_PER_PAIR):
        assert _try(client, user.email, WRONG, "203.0.113.66").status_code == 401
    blocked = _try(client, user.email, make.PASSWORD, "203.0.113.66")
    assert blocked.status_code == 429 and "Trop de tentatives de connexion" in blocked.get_data(as_text=True)
    # The chair, elsewhere, on a device never used before, still gets in.
    assert _try(app.test_client(), user.email, make.PASSWORD, "198.51.100.7").status_code == 302
    _age_hits(16)
    assert _try(client, user.email, make.PASSWORD, "203.0.113.66").status_code == 302


def test_a_distributed_attack_delays_unknown_devices_but_never_a_known_one(app, make):
    user = make.user(email="presidente@example.fr")
    db.session.commit()
    known = app.test_client()
    assert _try(known, user.email, make.PASSWORD, "198.51.100.7").status_code == 302
    known.post("/auth/logout")
    for n in range(30):  # three addresses, ten failures each
        _try(app.test_client(), user.email, WRONG, f"203.0.113.{n % 3}")
    delayed = _try(app.test_client(), user.email, make.PASSWORD, "192.0.2.50")
    assert delayed.status_code == 429
    # The known device: right password, logged in, even from the attacker's own address.
    assert _try(known, user.email, make.PASSWORD, "203.0.113.0").status_code == 302


def test_a_forged_device_cookie_is_ignored(app, make):
    user = make.user(email="presidente@example.fr")
    db.session.commit()
    for n in range(30):
        _try(app.test_client(), user.email, WRONG, f"203.0.113.{n % 3}")
    forged = app.test_client()
    forged.set_cookie("cop_device", "WyJhYmMiXQ.forged.signature")
    assert _try(forged, user.email, make.PASSWORD, "192.0.2.50").status_code == 429


def test_one_address_trying_many_accounts_is_blocked(client):
    for n in range(throttle.MAX_PER_CLIENT):
        assert _try(client, f"inconnu{n}@example.fr", WRONG).status_code == 401
    assert _try(client, "encore@example.fr", WRONG).status_code == 429


def test_behind_a_proxy_each_client_has_its_own_counter(app, make):
    """With COP_PROXY_COUNT=1 the address is the proxy's X-Forwarded-For, not the proxy itself."""
    user = make.user(email="presidente@example.fr")
    db.session.commit()
    proxied = create_app(type("ProxiedConfig", (TestConfig,), {
        "COP_PROXY_COUNT": 1, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}))
    proxied.test_client_class = FreshClient
    attacker, chair = proxied.test_client(), proxied.test_client()
    for _ in range(throttle.MAX_PER_PAIR):
        _try(attacker, user.email, WRONG, "10.0.0.2", **{"X-Forwarded-For": "203.0.113.66"})
    assert _try(attacker, user.email, WRONG, "10.0.0.2", **{"X-Forwarded-For": "203.0.113.66"}).status_code == 429
    assert _try(chair, user.email, make.PASSWORD, "10.0.0.2", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 302
    hits = db.session.scalar(db.select(db.func.count()).select_from(ThrottleHit))
    assert hits == 3 * throttle.MAX_PER_PAIR  # pair, address, account
