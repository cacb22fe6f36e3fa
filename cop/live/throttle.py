"""Per-connection command rate limit."""
import time


class Throttle:
    """A token bucket: `rate` commands per second, bursts up to `burst`."""

    def __init__(self, rate: float, burst: int):
        self.rate, self.burst, self.tokens, self.stamp, self.strikes = rate, burst, float(burst), time.monotonic(), 0

    def allow(self) -> bool:
        """Spend one token if there is one; count a strike otherwise."""
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            self.strikes = 0
            return True
        self.strikes += 1
        return False
