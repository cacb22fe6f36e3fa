"""Slow down password guessing: failed logins are counted per address and per client, in a sliding window.

The counters live in the process (each gunicorn worker keeps its own), which bounds guessing to a few attempts per
minute per worker without a table written on every failure; a successful login clears the address's counter.
"""
import threading
import time
from collections import deque

WINDOW_SECONDS = 15 * 60
MAX_PER_EMAIL = 10
MAX_PER_CLIENT = 50


class FailureLog:
    """Timestamps of recent failures, per key, forgotten after the window."""

    def __init__(self, window: float = WINDOW_SECONDS):
        self.window = window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        """The key's failures still inside the window (older ones dropped)."""
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def count(self, key: str) -> int:
        """How many failures the key has in the window."""
        with self._lock:
            return len(self._recent(key, time.monotonic()))

    def wait_seconds(self, key: str, limit: int) -> int:
        """Seconds until the key is below its limit again (0 when it already is)."""
        with self._lock:
            now = time.monotonic()
            times = self._recent(key, now)
            if len(times) < limit:
                return 0
            return int(times[len(times) - limit] + self.window - now) + 1

    def add(self, key: str) -> None:
        """Record one failure."""
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())

    def reset(self) -> None:
        """Forget every key."""
        with self._lock:
            self._failures.clear()

    def clear(self, key: str) -> None:
        """Forget the key (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)


failures = FailureLog()


def keys(email: str, client: str) -> tuple[str, str]:
    """The counters a login attempt is charged to."""
    return f"email:{(email or '').strip().lower()}", f"client:{client or '?'}"


def blocked_for(email: str, client: str) -> int:
    """Seconds to wait before this address or client may try again (0 when it may)."""
    by_email, by_client = keys(email, client)
    return max(failures.wait_seconds(by_email, MAX_PER_EMAIL), failures.wait_seconds(by_client, MAX_PER_CLIENT))


def record_failure(email: str, client: str) -> None:
    """Count a failed attempt against the address and the client."""
    for key in keys(email, client):
        failures.add(key)


def record_success(email: str) -> None:
    """A right password clears the address's counter."""
    failures.clear(keys(email, "")[0])
