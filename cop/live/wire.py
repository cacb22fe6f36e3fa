"""One text frame to many connections: encoded and framed once, then written to each socket.

`websockets.broadcast` encodes nothing twice either, but it builds, checks and serialises a `Frame` for every
connection (a third of a fan-out's time to 1,000 watchers went there). A server's frame is unmasked and, with
compression off, the same bytes for everyone: this module builds them once and hands them to each transport —
exactly what websockets would write. A connection that is not open, that is sending a fragmented message, that
negotiated an extension or still has bytes of its own to write goes through `websockets.broadcast` instead, so that
nothing ever overtakes or corrupts the protocol's own frames.
"""
import json
import logging
from typing import Iterable, Union

from websockets.asyncio.server import ServerConnection, broadcast
from websockets.frames import Frame, Opcode
from websockets.protocol import OPEN

log = logging.getLogger("cop.live")


def framed(text: Union[str, bytes]) -> bytes:
    """The unmasked, unfragmented text frame carrying text (UTF-8), as written on the socket."""
    payload = text.encode() if isinstance(text, str) else text
    return Frame(Opcode.TEXT, payload).serialize(mask=False, extensions=[])


def send_all(connections: Iterable[ServerConnection], text: Union[str, bytes]) -> None:
    """Send one text frame to every open connection (no back-pressure, like websockets.broadcast)."""
    wire = None
    for ws in connections:
        protocol = ws.protocol
        if (protocol.state is not OPEN or ws.send_in_progress is not None or protocol.extensions
                or protocol.writes or protocol.expect_continuation_frame):
            broadcast([ws], text, text=True)  # skips it when closing; keeps the protocol's order otherwise
            continue
        if wire is None:
            wire = framed(text)
        try:
            ws.transport.write(wire)
        except Exception as error:  # a broken transport: its connection closes by itself, the others go on
            log.debug("live send failed: %s", type(error).__name__)


def frames_of(message: Union[str, bytes]) -> list[dict]:
    """The frames one message from the live server carries: a frame is a JSON object; events delivered together
    come as a JSON array of event frames, in seq order (`Room.flush`)."""
    data = json.loads(message)
    return data if isinstance(data, list) else [data]
