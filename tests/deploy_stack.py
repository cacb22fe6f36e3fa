"""The deployment of deploy/, run for real: Debian's nginx (TLS, self-signed) in front of gunicorn and several live
processes, on free ports in a temporary directory. Used by tests/test_deploy.py and bench/plenary.py."""
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = "/usr/sbin/nginx"
sys.path.insert(0, str(ROOT / "deploy"))
from render import render  # noqa: E402


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def insecure() -> ssl.SSLContext:
    """A TLS context that accepts the stack's self-signed certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def get(url: str, timeout: float = 5, headers: dict | None = None):
    """(status, headers, body) of a GET, without following redirects."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kw):
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=insecure()))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


class Stack:
    """nginx + gunicorn (deploy/gunicorn.conf.py) + live processes, with the environment file's settings."""

    def __init__(self, directory: Path, database_url: str, secret_key: str, lives: int = 2, web_workers: int = 2,
                 extra_env: dict | None = None):
        self.dir = directory
        self.https_port, self.http_port, self.web_port = free_port(), free_port(), free_port()
        self.live_ports = [free_port() for _ in range(lives)]
        self.base = f"https://127.0.0.1:{self.https_port}"
        self.env = dict(os.environ, COP_ENV="production", SECRET_KEY=secret_key, COP_DATABASE_URL=database_url,
                        COP_LOG_FORMAT="json", COP_PROXY_COUNT="1", COP_WEB_BIND=f"127.0.0.1:{self.web_port}",
                        COP_WEB_WORKERS=str(web_workers), COP_LIVE_HOST="127.0.0.1", COP_BUS="postgres",
                        COP_LIVE_URL=f"wss://127.0.0.1:{self.https_port}/live", COP_ALLOWED_ORIGINS=self.base,
                        PYTHONUNBUFFERED="1", **(extra_env or {}))
        self.web = self.nginx = None
        self.lives: dict[int, subprocess.Popen] = {}
        self.logs: list = []

    def _log(self, name: str):
        handle = open(self.dir / f"{name}.log", "wb")
        self.logs.append(handle)
        return handle

    def start(self) -> "Stack":
        """Certificate, gunicorn, live processes, nginx; returns once nginx answers /healthz."""
        self._certificate()
        self.web = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py",
                                     "wsgi:app"], cwd=ROOT, env=self.env, stdout=self._log("web"),
                                    stderr=subprocess.STDOUT)
        for port in self.live_ports:
            self.start_live(port)
        self._nginx()
        self.wait(f"{self.base}/healthz")
        return self

    def start_live(self, port: int) -> None:
        """One `python -m cop.live` (what cop-live@PORT.service runs); waits for its health check."""
        env = dict(self.env, COP_LIVE_PORT=str(port))
        self.lives[port] = subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, env=env,
                                            stdout=self._log(f"live-{port}"), stderr=subprocess.STDOUT)
        self.wait(f"http://127.0.0.1:{port}/healthz")

    def live_health(self, port: int) -> dict:
        """A live process's own health check."""
        return json.loads(get(f"http://127.0.0.1:{port}/healthz")[2])

    def _certificate(self) -> None:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-keyout", str(self.dir / "tls.key"), "-out", str(self.dir / "tls.crt")],
                       check=True, capture_output=True)

    def _nginx(self) -> None:
        values = {"SERVER_NAME": "127.0.0.1", "PUBLIC_URL": self.base, "HTTP_PORT": str(self.http_port),
                  "HTTPS_PORT": str(self.https_port), "TLS_CERTIFICATE": str(self.dir / "tls.crt"),
                  "TLS_KEY": str(self.dir / "tls.key"), "STATIC_ROOT": str(ROOT / "static"),
                  "WEB_ADDRESS": f"127.0.0.1:{self.web_port}",
                  "COP_LIVE_ADDRESSES": ",".join(f"127.0.0.1:{p}" for p in self.live_ports)}
        site = render((ROOT / "deploy/nginx/cop.conf").read_text(encoding="utf-8"), values)
        (self.dir / "site.conf").write_text(site, encoding="utf-8")
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.dir / sub).mkdir(exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "".join(f"    {kind}_temp_path {self.dir / sub};\n" for kind, sub in (
            ("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"), ("scgi", "scgi")))
        (self.dir / "nginx.conf").write_text(
            # One worker per core, as Debian's own nginx.conf has it: with one, a vote's messages to 2,000 viewers
            # were encrypted by one process while the other core waited.
            f"{user}daemon off;\nworker_processes auto;\npid {self.dir / 'nginx.pid'};\n"
            f"error_log {self.dir / 'error.log'} warn;\n"
            # Each proxied WebSocket holds two of the worker's connections (client and upstream): 8,192 capped the
            # plenary bench at 4,096 watchers ("worker_connections are not enough"); 5,000 + the room need ~10,400.
            f"events {{ worker_connections 16384; }}\nworker_rlimit_nofile 20000;\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    access_log {self.dir / 'access.log'};\n{temp}"
            f"    include {self.dir / 'site.conf'};\n}}\n", encoding="utf-8")
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
                                      stdout=self._log("nginx"), stderr=subprocess.STDOUT)

    def wait(self, url: str, seconds: float = 120) -> None:
        """Until url answers 200."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if get(url, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{url} does not answer; logs in {self.dir}")

    def stop(self) -> None:
        """Everything down: SIGTERM, then SIGKILL for what lingers."""
        procs = [p for p in (self.nginx, self.web, *self.lives.values()) if p is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGQUIT if proc is self.nginx else signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for handle in self.logs:
            handle.close()
