"""The floor for bench/live_fanout.py: a bare websockets broadcast server, no database, same frames and settings.

Usage: python bench/fanout_bare.py PORT. Every `command` frame is answered by an `event` broadcast to every
connection, then an `ack` to the sender; everything else is ignored.
"""
import asyncio
import json
import sys
from datetime import datetime, timezone

from websockets.asyncio.server import broadcast, serve
from websockets.exceptions import ConnectionClosed

CLIENTS = set()
SEQ = 0


async def handler(ws):
    """Register, relay commands as broadcast events, unregister."""
    CLIENTS.add(ws)
    try:
        async for raw in ws:
            msg = json.loads(raw)
            if msg.get("type") != "command":
                continue
            global SEQ
            SEQ += 1
            event = {"type": "event", "seq": SEQ, "name": "timer.stopped",
                     "actor": {"user_id": 1, "name": "Présidence", "party_id": None, "party": None},
                     "at": datetime.now(timezone.utc).isoformat(), "data": {"timer": {"request_id": 1, "elapsed": 1.0,
                                                                                       "running": False, "limit": 180}}}
            broadcast(CLIENTS, json.dumps(event, separators=(",", ":"), ensure_ascii=False))
            await ws.send(json.dumps({"type": "ack", "id": msg.get("id"), "seq": SEQ}))
    except ConnectionClosed:
        pass  # the bench's watchers leave without a closing handshake when a pass ends
    finally:
        CLIENTS.discard(ws)


async def main(port: int) -> None:
    """Serve on loopback until killed."""
    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=64) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
