"""A live client that behaves like the page's LiveClient: resumes from its last seq on another process after a
failure and resends every unacknowledged command with the same id. Used by the fault tests and the benches."""
import asyncio
import json
from typing import Callable, Optional

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from cop.live.wire import frames_of

ORIGIN = "http://cop.test"


class Resilient:
    """One client: its event stream must stay gapless and duplicate-free across reconnections."""

    def __init__(self, urls: list[str], meeting_id: int, token: Optional[Callable[[], str]] = None, start: int = 0,
                 tag: str = "c", origin: str = ORIGIN, ssl=None, open_timeout: float = 5):
        self.urls, self.at, self.meeting_id, self.token = urls, start, meeting_id, token
        self.tag, self.origin = tag, origin
        self.seq: Optional[int] = None
        self.gaps: list[tuple[int, int]] = []
        self.duplicates = 0
        self.snapshots = 0
        self.events = 0
        #: Messages received (events committed together come as one message: several events in one).
        self.messages = 0
        self.connections = 0
        self.close_codes: list[Optional[int]] = []
        self.pending: dict[str, tuple[dict, asyncio.Future]] = {}
        self.counter = 0
        self.ws = None
        self.synced = asyncio.Event()
        self.stopped = False
        self.on_event: Optional[Callable[[dict], None]] = None
        self.ssl = ssl
        self.open_timeout = open_timeout
        self.failures = 0

    async def run(self) -> None:
        """Stay connected until stop(): on any failure, move to the next process and resume."""
        while not self.stopped:
            url = self.urls[self.at % len(self.urls)]
            try:
                async with connect(url, origin=self.origin, open_timeout=self.open_timeout, max_queue=None,
                                   ssl=self.ssl) as ws:
                    self.ws = ws
                    if self.stopped:  # stop() came while this connection was opening: it found no ws to close
                        break
                    self.connections += 1
                    hello = {"type": "hello", "meeting": self.meeting_id, "since": self.seq}
                    if self.token is not None:
                        hello["token"] = self.token()
                    await ws.send(json.dumps(hello))
                    async for raw in ws:
                        self.messages += 1
                        for frame in frames_of(raw):
                            await self.receive(frame)
                    self.close_codes.append(ws.close_code)
            except (OSError, ConnectionClosed, InvalidHandshake, asyncio.TimeoutError, TimeoutError) as error:
                if isinstance(error, ConnectionClosed):
                    self.close_codes.append(error.rcvd.code if error.rcvd else None)
            self.ws = None
            failed = not self.synced.is_set()
            self.synced.clear()
            if not self.stopped:
                self.at += 1
                # Back off while attempts keep failing, as the page's client does: at 0.05 s for ever, thousands of
                # clients refused by a proxy (502) hammered it 90 times a second.
                self.failures = self.failures + 1 if failed else 0
                await asyncio.sleep(min(2.0, 0.05 * 2 ** max(0, self.failures - 1)))

    async def receive(self, frame: dict) -> None:
        """Apply one frame: events must follow the last seq exactly."""
        kind = frame["type"]
        if kind == "snapshot":
            self.snapshots += 1
            self.seq = frame["seq"]
        if kind in ("snapshot", "welcome"):
            self.synced.set()
            for command, _ in list(self.pending.values()):
                await self.ws.send(json.dumps(command))
        elif kind == "event":
            if self.seq is not None and frame["seq"] <= self.seq:
                self.duplicates += 1
                return
            if self.seq is not None and frame["seq"] != self.seq + 1:
                self.gaps.append((self.seq, frame["seq"]))
            self.seq = frame["seq"]
            self.events += 1
            if self.on_event:
                self.on_event(frame)
        elif kind in ("ack", "error") and frame.get("id") in self.pending:
            command, future = self.pending[frame["id"]]
            if kind == "error" and frame["code"] == "unavailable":
                asyncio.get_running_loop().call_later(0.5, self._resend, frame["id"])
                return
            del self.pending[frame["id"]]
            if not future.done():
                future.set_result(frame)

    def _resend(self, command_id: str) -> None:
        """Send a command again (same id) if it is still unanswered and the line is up."""
        if command_id in self.pending and self.ws is not None and self.synced.is_set():
            asyncio.get_running_loop().create_task(self._send(self.pending[command_id][0]))

    async def _send(self, command: dict) -> None:
        try:
            await self.ws.send(json.dumps(command))
        except (ConnectionClosed, AttributeError):
            pass  # resent after the next welcome

    def command(self, name: str, args: Optional[dict] = None) -> tuple[str, asyncio.Future]:
        """Queue a command; it is sent now if connected, else after the next welcome. Returns (id, answer)."""
        self.counter += 1
        command_id = f"{self.tag}-{self.counter}"
        command = {"type": "command", "id": command_id, "name": name, "args": args or {}}
        future = asyncio.get_running_loop().create_future()
        self.pending[command_id] = (command, future)
        if self.ws is not None and self.synced.is_set():
            asyncio.get_running_loop().create_task(self._send(command))
        return command_id, future

    async def stop(self) -> None:
        """Leave for good (a connection still opening is closed by run() as soon as it opens)."""
        self.stopped = True
        if self.ws is not None:
            await self.ws.close()

    def abort(self) -> None:
        """Leave for good at once, without the closing handshake (a bench closing thousands of clients)."""
        self.stopped = True
        if self.ws is not None:
            self.ws.transport.abort()
