"""Single flight: concurrent requests for the same missing page wait for one rebuild instead of each building it."""
import threading
from contextlib import contextmanager


class Flights:
    """One lock per key being built, dropped when its last user leaves."""

    def __init__(self):
        self.guard = threading.Lock()
        self.locks: dict = {}

    def _enter(self, key) -> threading.Lock:
        """The key's lock, counting one more user."""
        with self.guard:
            lock, users = self.locks.get(key, (None, 0))
            lock = lock or threading.Lock()
            self.locks[key] = (lock, users + 1)
        return lock

    def _leave(self, key) -> None:
        """One user fewer; the last one drops the lock."""
        with self.guard:
            lock, users = self.locks[key]
            if users == 1:
                del self.locks[key]
            else:
                self.locks[key] = (lock, users - 1)

    def acquire(self, key) -> None:
        """Wait until no one else builds this key, then hold it."""
        self._enter(key).acquire()

    def release(self, key) -> None:
        """Let the next request for this key in."""
        self.locks[key][0].release()
        self._leave(key)

    @contextmanager
    def over(self, key):
        """Hold the key for the block."""
        self.acquire(key)
        try:
            yield
        finally:
            self.release(key)
