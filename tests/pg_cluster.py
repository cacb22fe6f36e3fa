"""A throwaway PostgreSQL cluster that a test starts, stops and restarts itself (never the machine's server)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BIN = Path(os.environ.get("COP_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """initdb + pg_ctl in a temporary directory, on a free port; run as `postgres` when we are root."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cop-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "server.log"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                  "--locale", "C")
        self.start()

    def _run(self, *args) -> None:
        """Run a PostgreSQL tool as the cluster's owner."""
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of a database of this cluster."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server at once: every connection is cut (what a crash or a failover looks like to clients)."""
        self._run(BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop")

    def restart(self) -> float:
        """Stop and start again; return how long the server was away, in seconds."""
        began = time.monotonic()
        self.stop()
        self.start()
        return time.monotonic() - began

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        """Stop the server (if it runs) and remove its files."""
        try:
            self._run(BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
