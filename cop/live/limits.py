"""Per-process caps of the live server: sockets per account and per address, one command budget per account.

An account's sockets share one token bucket, so opening twenty sockets buys no more commands than one; the commands
an account applies are also capped per meeting and minute in the database (`meetings.services`), which holds
across live processes and the web door.
"""
from collections import Counter
from typing import Optional

from websockets.asyncio.server import ServerConnection

from cop.live.throttle import Throttle

CLOSE_TOO_MANY = 4429


class Limits:
    """Who holds how many sockets in this process, and each account's command bucket."""

    def __init__(self, config):
        self.config = config
        self.per_account: Counter = Counter()
        self.per_address: Counter = Counter()
        self.buckets: dict[int, Throttle] = {}

    def address(self, ws: ServerConnection) -> str:
        """The client's address: the peer, or behind COP_PROXY_COUNT proxies the X-Forwarded-For hop they add."""
        hops = self.config.get("COP_PROXY_COUNT", 0)
        forwarded = ws.request.headers.get("X-Forwarded-For", "") if hops and ws.request else ""
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops and len(chain) >= hops:
            return chain[-hops]
        peer = ws.remote_address
        return str(peer[0]) if peer else "?"

    def open(self, ws: ServerConnection, user_id: Optional[int]) -> Optional[str]:
        """Count a new socket, or say why it is refused (None when admitted)."""
        address = self.address(ws)
        if self.per_address[address] >= self.config["COP_LIVE_MAX_SOCKETS_PER_ADDRESS"]:
            return "Trop de connexions depuis votre adresse réseau : fermez des onglets puis réessayez."
        if user_id is not None and self.per_account[user_id] >= self.config["COP_LIVE_MAX_SOCKETS_PER_ACCOUNT"]:
            return "Trop de connexions ouvertes avec ce compte : fermez des onglets ou des appareils puis réessayez."
        self.per_address[address] += 1
        if user_id is not None:
            self.per_account[user_id] += 1
        return None

    def close(self, ws: ServerConnection, user_id: Optional[int]) -> None:
        """Forget a socket that was admitted."""
        address = self.address(ws)
        self.per_address[address] -= 1
        if self.per_address[address] <= 0:
            del self.per_address[address]
        if user_id is not None:
            self.per_account[user_id] -= 1
            if self.per_account[user_id] <= 0:
                del self.per_account[user_id]
                self.buckets.pop(user_id, None)

    def bucket(self, user_id: Optional[int]) -> Throttle:
        """The command bucket of an account (shared by its sockets), or a socket's own for a watcher."""
        fresh = Throttle(self.config["COP_LIVE_COMMAND_RATE"], self.config["COP_LIVE_COMMAND_BURST"])
        if user_id is None:
            return fresh
        return self.buckets.setdefault(user_id, fresh)
