"""Caps of the live server: sockets per account and per address (across every live process, through the database:
`cop/live/sockets.py`), one command budget per account.

An account's sockets share one token bucket, so opening twenty sockets buys no more commands than one; the commands
an account applies are also capped per meeting and minute in the database (`meetings.services`), which holds
across live processes and the web door.
"""
import logging
import secrets
from typing import Awaitable, Callable, Optional

from flask_babel import lazy_gettext as _l
from websockets.asyncio.server import ServerConnection

from cop.live import sockets
from cop.live.throttle import Throttle

CLOSE_TOO_MANY = 4429
REFUSALS = {
    sockets.ADDRESS: _l("Trop de connexions depuis votre adresse réseau : fermez des onglets puis réessayez."),
    sockets.ACCOUNT: _l("Trop de connexions ouvertes avec ce compte : fermez des onglets ou des appareils puis "
                        "réessayez."),
}
log = logging.getLogger("cop.live")


class Limits:
    """This process's admitted sockets (shared in the database with the other processes), and the command buckets."""

    def __init__(self, config, run: Callable[..., Awaitable]):
        self.config, self.run = config, run
        #: This process's id in the shared table, drawn at start.
        self.process_id = secrets.token_hex(16)
        #: Admitted sockets: connection → (socket id, account, address).
        self.sockets: dict[ServerConnection, tuple[str, Optional[int], str]] = {}
        #: Closed sockets whose row could not be deleted yet (the database was away): deleted at the next heartbeat.
        self.closed: list[str] = []
        self.buckets: dict[int, Throttle] = {}
        self.accounts: dict[int, int] = {}

    def address(self, ws: ServerConnection) -> str:
        """The client's address: the peer, or behind COP_PROXY_COUNT proxies the X-Forwarded-For hop they add."""
        hops = self.config.get("COP_PROXY_COUNT", 0)
        forwarded = ws.request.headers.get("X-Forwarded-For", "") if hops and ws.request else ""
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops and len(chain) >= hops:
            return chain[-hops]
        peer = ws.remote_address
        return str(peer[0]) if peer else "?"

    def expiry(self) -> float:
        """Seconds after its last heartbeat when a process's sockets stop counting."""
        return float(self.config["COP_LIVE_PROCESS_EXPIRY_SECONDS"])

    def _rows(self) -> dict[str, tuple[Optional[int], str]]:
        return {socket_id: (user_id, address) for socket_id, user_id, address in self.sockets.values()}

    async def start(self) -> None:
        """Write this process's row in the shared table."""
        await self.run(sockets.register, self.process_id, {}, write=True)

    async def heartbeat(self) -> None:
        """Refresh this process's row, forget dead processes' sockets and ours that closed meanwhile."""
        closed, self.closed = self.closed, []
        try:
            await self.run(sockets.heartbeat, self.process_id, self.expiry(), self._rows(), closed, write=True)
        except Exception:
            self.closed[:0] = closed
            raise

    async def stop(self) -> None:
        """Delete this process's rows (a clean stop; a killed process's rows expire)."""
        await self.run(sockets.forget_process, self.process_id, write=True)

    async def open(self, ws: ServerConnection, user_id: Optional[int]) -> Optional[str]:
        """Count a new socket across every live process, or say why it is refused (None when admitted)."""
        address, socket_id = self.address(ws)[:64], secrets.token_hex(16)
        refusal = await self.run(sockets.admit, self.process_id, socket_id, user_id, address,
                                 self.config["COP_LIVE_MAX_SOCKETS_PER_ACCOUNT"],
                                 self.config["COP_LIVE_MAX_SOCKETS_PER_ADDRESS"], self.expiry(), write=True)
        if refusal is not None:
            return REFUSALS[refusal]
        self.sockets[ws] = (socket_id, user_id, address)
        if user_id is not None:
            self.accounts[user_id] = self.accounts.get(user_id, 0) + 1
        return None

    async def close(self, ws: ServerConnection, user_id: Optional[int]) -> None:
        """Forget a socket that was admitted."""
        admitted = self.sockets.pop(ws, None)
        if admitted is None:
            return
        if user_id is not None:
            self.accounts[user_id] -= 1
            if self.accounts[user_id] <= 0:
                del self.accounts[user_id]
                self.buckets.pop(user_id, None)
        try:
            await self.run(sockets.release, [admitted[0]], write=True)
        except Exception as error:  # the database is away: the row goes at the next heartbeat
            log.warning("live socket release failed: %s", type(error).__name__)
            self.closed.append(admitted[0])

    def bucket(self, user_id: Optional[int]) -> Throttle:
        """The command bucket of an account (shared by its sockets), or a socket's own for a watcher."""
        fresh = Throttle(self.config["COP_LIVE_COMMAND_RATE"], self.config["COP_LIVE_COMMAND_BURST"])
        if user_id is None:
            return fresh
        return self.buckets.setdefault(user_id, fresh)
