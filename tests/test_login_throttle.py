"""Password guessing is slowed down: ten failures for one address, fifty from one client, then 429."""
from cop.auth import throttle
from cop.db import db


def _try(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def test_ten_failures_block_the_address_even_with_the_right_password(client, make):
    user = make.user(email="camille@example.fr")
    db.session.commit()
    for _ in range(throttle.MAX_PER_EMAIL):
        assert _try(client, user.email, "mauvais-mot-de-passe").status_code == 401
    response = _try(client, user.email, make.PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.get_data(as_text=True)
    assert client.get("/auth/compte").status_code == 302  # still not logged in


def test_a_success_clears_the_address_and_other_addresses_are_not_blocked(client, make):
    user, other = make.user(email="camille@example.fr"), make.user(email="dominique@example.fr")
    db.session.commit()
    for _ in range(throttle.MAX_PER_EMAIL - 1):
        _try(client, user.email, "mauvais-mot-de-passe")
    assert _try(client, other.email, make.PASSWORD).status_code == 302
    assert _try(client, user.email, make.PASSWORD).status_code == 302
    assert throttle.failures.count("email:camille@example.fr") == 0


def test_one_client_trying_many_addresses_is_blocked(client):
    for n in range(throttle.MAX_PER_CLIENT):
        assert _try(client, f"inconnu{n}@example.fr", "mauvais-mot-de-passe").status_code == 401
    assert _try(client, "encore@example.fr", "mauvais-mot-de-passe").status_code == 429


def test_failures_are_forgotten_after_the_window():
    log = throttle.FailureLog(window=0.05)
    log.add("email:x")
    assert log.wait_seconds("email:x", 1) >= 1
    import time

    time.sleep(0.06)
    assert log.count("email:x") == 0 and log.wait_seconds("email:x", 1) == 0
