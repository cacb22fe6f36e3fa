"""The three servers bench/live_fanout.py compares: COP's live server, a bare websockets floor, Flask-SocketIO."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENT = b'"type":"event"'


class Target(ABC):
    """How to start one server, join its room and send it a command."""

    name = path = ""
    #: Whether the server answers a new client before it is in the room.
    greets = False

    def __init__(self):
        self.proc = None

    @abstractmethod
    def start(self, port: int, more_ports: tuple = ()) -> None:
        """Start the server on this port (each kind of server says how)."""

    #: The ports clients are spread over (one server process unless the target starts several).
    ports: list = []

    def rss_pid(self) -> int:
        """The process whose memory grows with connections."""
        return self.proc.pid

    def rss_pids(self) -> list[int]:
        """Every process whose memory grows with connections."""
        return [self.rss_pid()]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def joined(self, client, text: bytes) -> bool:
        """Answer the server's greeting; True once the client is in the room."""
        return True

    def hello(self, client, chair: bool) -> None:  # noqa: B027  (most targets send nothing)
        """What a client sends once connected."""

    def command(self, n: int) -> str:
        """Stop, start, stop… the speaker's timer (each one a committed event in COP)."""
        self.sent = getattr(self, "sent", 0) + 1
        name = "timer.stop" if self.sent % 2 else "timer.start"
        return json.dumps({"type": "command", "id": f"b{n}", "name": name, "args": {}})


class Bare(Target):
    """The floor: broadcast with no database and no checks."""

    name, path = "websockets nu", "/"

    def start(self, port: int, more_ports: tuple = ()) -> None:
        self.ports = [port]
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "fanout_bare.py"), str(port)])


class Cop(Target):
    """COP's live server with an open meeting and a speaker holding the floor: on a fresh SQLite database, or on
    the PostgreSQL database given (its schema dropped), where `lives` processes share the meeting through the
    LISTEN/NOTIFY bus; `realistic` seeds 166 parties, a speakers' list and a draft text (bench/fanout_seed.py)."""

    name, path, greets = "COP (cop.live)", "/live", True

    def __init__(self, database_url: str = "", realistic: bool = False, lives: int = 1):
        super().__init__()
        self.dir = tempfile.mkdtemp(prefix="cop-bench-")
        self.lives, self.procs = lives, []
        url = database_url or f"sqlite:///{self.dir}/bench.sqlite3"
        self.env = dict(os.environ, COP_DATABASE_URL=url,
                        COP_BUS="postgres" if url.startswith("postgresql") else "memory",
                        SECRET_KEY=os.urandom(16).hex(), COP_LIVE_COMMAND_RATE="100000",
                        COP_ACCOUNT_COMMANDS_PER_MINUTE="1000000", COP_LIVE_MAX_SOCKETS_PER_ADDRESS="1000000",
                        COP_LIVE_COMMAND_BURST="100000", COP_ALLOWED_ORIGINS="http://127.0.0.1",
                        COP_LIVE_TOKEN_TTL="3600")
        self.meeting, self.token = self._seed(realistic)

    def _seed(self, realistic: bool) -> list:
        """Build the bench database (retried: the working tree may be mid-edit for a moment)."""
        for _attempt in range(5):
            done = subprocess.run([sys.executable, "-m", "bench.fanout_seed"] + (["realistic"] if realistic else []),
                                  env=self.env, cwd=ROOT, capture_output=True, text=True)
            if done.returncode == 0:
                return json.loads(done.stdout.strip().splitlines()[-1])
            time.sleep(2)
        raise RuntimeError("bench.fanout_seed failed:\n" + done.stderr[-2000:])

    def stop(self) -> None:
        for proc in self.procs[1:]:
            proc.terminate()
        super().stop()
        for proc in self.procs[1:]:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, port: int, more_ports: tuple = ()) -> None:
        """One live process on port, and one more on each of more_ports (the first `lives - 1` of them)."""
        self.ports = [port, *more_ports[:self.lives - 1]]
        self.procs = [subprocess.Popen([sys.executable, "-m", "cop.live"], cwd=ROOT, stderr=subprocess.DEVNULL,
                                       env=dict(self.env, COP_LIVE_PORT=str(p), COP_LIVE_HOST="127.0.0.1"))
                      for p in self.ports]
        self.proc = self.procs[0]

    def rss_pids(self) -> list[int]:
        return [proc.pid for proc in self.procs]

    def hello(self, client, chair: bool) -> None:
        hello = {"type": "hello", "meeting": self.meeting, "since": None}
        if chair:
            hello["token"] = self.token
        client.send_text(json.dumps(hello))

    def joined(self, client, text: bytes) -> bool:
        return b'"type":"snapshot"' in text


class SocketIO(Target):
    """Flask-SocketIO under gunicorn's gevent worker, emitting to a room."""

    name, path, greets = "Flask-SocketIO (gevent)", "/socket.io/?EIO=4&transport=websocket", True

    def start(self, port: int, more_ports: tuple = ()) -> None:
        self.ports = [port]
        python = os.environ.get("COP_BENCH_SOCKETIO_PYTHON", sys.executable)
        self.proc = subprocess.Popen([python, "-m", "gunicorn", "-k", "gevent", "-w", "1",
                                      "--worker-connections", "10000",
                                      "--log-level", "warning",
                                      "--bind", f"127.0.0.1:{port}", "bench.fanout_socketio:app"], cwd=ROOT)

    def rss_pid(self) -> int:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return int(children[0]) if children else self.proc.pid

    def joined(self, client, text: bytes) -> bool:
        if text.startswith(b"0{"):
            client.send_text("40")
        elif text.startswith(b"40"):
            client.send_text('42["join",{"meeting":1}]')
            return True
        elif text == b"2":
            client.send_text("3")
        return False

    def command(self, n: int) -> str:
        return '42["command",{"meeting":1,"id":"b%d"}]' % n

    @staticmethod
    def available() -> bool:
        python = os.environ.get("COP_BENCH_SOCKETIO_PYTHON", sys.executable)
        return subprocess.run([python, "-c", "import flask_socketio, gevent, gunicorn"],
                              capture_output=True).returncode == 0
