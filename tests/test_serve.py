"""`flask cop serve` starts the web app and the live server together, and stops both."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str):
    """The JSON at url, or None while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


def _wait_for(url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = _get_json(url)
        if answer is not None:
            return answer
        time.sleep(0.2)
    return None


def test_serve_runs_web_and_live_then_stops_both(app, tmp_path):
    web_port, live_port = _free_port(), _free_port()
    env = {**os.environ, "COP_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "COP_LIVE_PORT": str(live_port), "SECRET_KEY": "test-serve"}
    # The output goes to a file: the mail worker `serve` starts prints every queued message (console backend),
    # and a pipe nobody reads would fill up and block the processes writing to it.
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "cop", "serve", "--port", str(web_port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        assert _wait_for(f"http://127.0.0.1:{web_port}/healthz") == {"status": "ok"}
        assert _wait_for(f"http://127.0.0.1:{live_port}/healthz")["status"] == "ok"
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        time.sleep(0.5)
        assert _get_json(f"http://127.0.0.1:{live_port}/healthz") is None
    finally:
        proc.kill()
        log.close()
