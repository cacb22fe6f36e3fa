"""Time failed logins with production argon2 costs: a wrong password vs an unknown e-mail vs a disabled account.

Run: python bench/login_timing.py [rounds]. Uses a throw-away SQLite file; prints median and spread per case.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cop import create_app  # noqa: E402
from cop.config import Config  # noqa: E402
from cop.db import db  # noqa: E402


def _app(path: str):
    """The app with production hashing costs on a scratch database, CSRF off."""
    config = type("BenchConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False, "TESTING": True})
    return create_app(config)


def _time(client, email: str, rounds: int) -> list[float]:
    """Milliseconds per failed login, one POST each (the throttle's counts are cleared between two, untimed)."""
    from cop.auth.models import ThrottleHit

    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.post("/auth/login", data={"email": email, "password": "pas-le-bon-mot-de-passe"})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 401
        with client.application.app_context():
            db.session.execute(db.delete(ThrottleHit))
            db.session.commit()
    return times


def main(rounds: int = 30) -> None:
    """Create two accounts, warm up, then time each failure case."""
    from cop.auth.services import create_user

    with tempfile.TemporaryDirectory() as tmp:
        app = _app(f"{tmp}/bench.sqlite3")
        with app.app_context():
            db.create_all()
            create_user("camille@example.fr", "le-vrai-mot-de-passe", "Camille")
            create_user("ancien@example.fr", "le-vrai-mot-de-passe", "Ancien").is_disabled = True
            db.session.commit()
        client = app.test_client()
        cases = {"mot de passe faux": "camille@example.fr", "adresse inconnue": "personne@example.fr",
                 "compte désactivé": "ancien@example.fr"}
        _time(client, "personne@example.fr", 3)
        print(f"Connexions refusées, argon2id t={app.config['ARGON2_TIME_COST']} "
              f"m={app.config['ARGON2_MEMORY_COST']} Kio, {rounds} essais chacune :")
        for label, email in cases.items():
            times = _time(client, email, rounds)
            print(f"  {label:<18} médiane {statistics.median(times):7.1f} ms   "
                  f"min {min(times):7.1f}   max {max(times):7.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
