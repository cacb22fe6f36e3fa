"""Time the forgot-password answer for a known and an unknown address, up to the moment the answer leaves.

Run: python bench/forgot_timing.py [rounds]. Production argon2 costs, a throw-away SQLite file; each request comes
from its own address (the throttle allows 5 an hour per address) and the throttle's rows are cleared between two,
untimed. The lookup, the link and the message run after the answer (`call_on_close`), timed apart.
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


def _time(client, email: str, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds to the answer, and for the work done after it, per request."""
    from cop.auth.models import ThrottleHit

    answer, after = [], []
    for n in range(rounds):
        start = time.perf_counter()
        response = client.post("/auth/mot-de-passe-oublie", data={"email": email}, buffered=False,
                               environ_base={"REMOTE_ADDR": f"10.1.{n // 250}.{n % 250}"})
        answer.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        response.close()
        after.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302
        with client.application.app_context():
            db.session.execute(db.delete(ThrottleHit))
            db.session.commit()
    return answer, after


def main(rounds: int = 200) -> None:
    """One account, then alternate known and unknown addresses."""
    from cop.auth.services import create_user

    with tempfile.TemporaryDirectory() as tmp:
        config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                                                 "WTF_CSRF_ENABLED": False, "COP_MAIL_LOG_BODY": False})
        app = create_app(config)
        with app.app_context():
            db.create_all()
            create_user("camille@example.fr", "le-vrai-mot-de-passe", "Camille")
            db.session.commit()
        client = app.test_client()
        _time(client, "personne@example.fr", 20)
        print(f"Mot de passe oublié, {rounds} demandes par cas (médiane, min–max, en ms) :")
        for label, email in (("adresse connue", "camille@example.fr"), ("adresse inconnue", "personne@example.fr")):
            answer, after = _time(client, email, rounds)
            print(f"  {label:<17} réponse {statistics.median(answer):6.2f} ({min(answer):.2f}–{max(answer):.2f})"
                  f"   après la réponse {statistics.median(after):6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
