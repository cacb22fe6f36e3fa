"""The login throttle holds across gunicorn workers, and behind a proxy each client has its own counter."""
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from cop.auth import throttle
from cop.db import db
from tests.live.conftest import ROOT, free_port


class Browser:
    """A cookie jar and a CSRF token, speaking HTTP to a real server."""

    def __init__(self, base: str, forwarded_for: str):
        self.base, self.forwarded_for = base, forwarded_for
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"X-Forwarded-For": self.forwarded_for})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, email: str, password: str) -> int:
        page = self.open("/auth/login")[1]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.open("/auth/login", {"csrf_token": token, "email": email, "password": password})[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def gunicorn(app):
    """gunicorn with three workers on the test database, behind one (pretend) proxy."""
    port = free_port()
    env = dict(os.environ, COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY=app.config["SECRET_KEY"],
               COP_PROXY_COUNT="1", COP_ENV="development")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/auth/login", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
    yield base
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)


def test_the_limit_is_shared_by_every_worker_and_kept_per_client(gunicorn, make):
    user = make.user(email="presidente@example.fr")
    db.session.commit()
    attacker = Browser(gunicorn, "203.0.113.66")
    statuses = [attacker.login(user.email, "mauvais-mot-de-passe") for _ in range(throttle.MAX_PER_PAIR)]
    assert statuses == [401] * throttle.MAX_PER_PAIR
    assert attacker.login(user.email, make.PASSWORD) == 429  # whichever of the three workers answers
    # Behind the same proxy, the chair is another client: not locked out.
    assert Browser(gunicorn, "198.51.100.7").login(user.email, make.PASSWORD) == 302
