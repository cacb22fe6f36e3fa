"""Caps of the live server: sockets per account and per address (across every live process, through the database:
`cop/live/sockets.py`), one command budget per account.

An account's sockets share one token bucket, so opening twenty sockets buys no more commands than one; the commands
an account applies are also capped per meeting and minute in the database (`meetings.services`), which holds
across live processes and the web door.
"""
import asyncio
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


#: Sockets admitted or released in one transaction at most.
BATCH = 256


class Batch:
    """Items waiting to be written together, and the function that writes a list of them."""

    def __init__(self, write: Callable[[list], Awaitable]):
        self.write, self.items, self.running = write, [], False


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
        #: Sockets opening or closing, written in batches (one transaction for all that arrived meanwhile).
        self.opening = Batch(self._admit)
        self.closing = Batch(lambda items: self.run(sockets.release, items, write=True))

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

    async def _admit(self, items: list) -> list:
        """Write a batch of opens; if a peer gave this process up for dead meanwhile, register it again with its
        sockets first (else every open would fail on the missing process row until the next heartbeat)."""
        admit = lambda: self.run(sockets.admit_many, self.process_id, items,  # noqa: E731
                                 self.config["COP_LIVE_MAX_SOCKETS_PER_ACCOUNT"],
                                 self.config["COP_LIVE_MAX_SOCKETS_PER_ADDRESS"], self.expiry(), write=True)
        try:
            return await admit()
        except sockets.Forgotten:
            log.warning("live process given up by a peer: registered again with its %d sockets", len(self.sockets))
            await self.run(sockets.register, self.process_id, self._rows(), write=True)
            return await admit()

    async def start(self) -> None:
        """Write this process's row in the shared table."""
        await self.run(sockets.register, self.process_id, {}, write=True)

    async def heartbeat(self) -> None:
        """Refresh this process's row, forget dead processes' sockets and ours that closed meanwhile. Not through the
        commands' writer: a heartbeat queued behind a long run of commands (a vote's 166 ballots under load) came
        later than the expiry, and the peers gave a living process up for dead."""
        closed, self.closed = self.closed, []
        try:
            await self.run(sockets.heartbeat, self.process_id, self.expiry(), self._rows(), closed)
        except Exception:
            self.closed[:0] = closed
            raise

    async def stop(self) -> None:
        """Delete this process's rows (a clean stop; a killed process's rows expire)."""
        await self.run(sockets.forget_process, self.process_id, write=True)

    async def open(self, ws: ServerConnection, user_id: Optional[int]) -> Optional[str]:
        """Count a new socket across every live process, or say why it is refused (None when admitted). The opens
        that arrive while a batch is written wait for the next one (`sockets.admit_many`, one transaction)."""
        address, socket_id = self.address(ws)[:64], secrets.token_hex(16)
        refusal = await self._batched(self.opening, (socket_id, user_id, address))
        if refusal is not None:
            return REFUSALS[refusal]
        self.sockets[ws] = (socket_id, user_id, address)
        if user_id is not None:
            self.accounts[user_id] = self.accounts.get(user_id, 0) + 1
        return None

    async def close(self, ws: ServerConnection, user_id: Optional[int]) -> None:
        """Forget a socket that was admitted (its row is deleted with the others closing meanwhile)."""
        admitted = self.sockets.pop(ws, None)
        if admitted is None:
            return
        if user_id is not None:
            self.accounts[user_id] -= 1
            if self.accounts[user_id] <= 0:
                del self.accounts[user_id]
                self.buckets.pop(user_id, None)
        try:
            await self._batched(self.closing, admitted[0])
        except Exception as error:  # the database is away: the row goes at the next heartbeat
            log.warning("live socket release failed: %s", type(error).__name__)
            self.closed.append(admitted[0])

    async def _batched(self, queue: "Batch", item):
        """Queue an item for its batch and wait for its answer."""
        future = asyncio.get_running_loop().create_future()
        queue.items.append((item, future))
        if not queue.running:
            queue.running = True
            asyncio.get_running_loop().create_task(self._drain(queue))
        return await future

    async def _drain(self, queue: "Batch") -> None:
        try:
            while queue.items:
                batch, queue.items = queue.items[:BATCH], queue.items[BATCH:]
                try:
                    answers = await queue.write([item for item, _ in batch])
                except Exception as error:  # noqa: BLE001 — each waiting socket gets the failure
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, future), answer in zip(batch, answers or [None] * len(batch)):
                    if not future.done():
                        future.set_result(answer)
        finally:
            queue.running = False

    def bucket(self, user_id: Optional[int]) -> Throttle:
        """The command bucket of an account (shared by its sockets), or a socket's own for a watcher."""
        fresh = Throttle(self.config["COP_LIVE_COMMAND_RATE"], self.config["COP_LIVE_COMMAND_BURST"])
        if user_id is None:
            return fresh
        return self.buckets.setdefault(user_id, fresh)
