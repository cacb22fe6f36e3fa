"""One frame framed once for many connections: read back by real clients exactly as sent, whatever its length;
closed connections skipped; a connection with an extension (compression) served by websockets itself."""
import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from cop.live.wire import send_all
from tests.live.conftest import run

TEXTS = ["{}", "é" * 100, "x" * 126, "ü" * 40_000, "y" * 70_000]  # each length encoding: 7 bits, 16 bits, 64 bits


async def _server(compression):
    """A websockets server keeping its connections; returns (server, connections, url)."""
    connections = []

    async def handler(ws):
        connections.append(ws)
        await ws.wait_closed()

    server = await serve(handler, "127.0.0.1", 0, compression=compression)
    port = server.sockets[0].getsockname()[1]
    return server, connections, f"ws://127.0.0.1:{port}/"


def test_every_client_reads_the_frames_as_sent():
    async def scenario():
        server, connections, url = await _server(None)
        clients = [await connect(url, compression=None) for _ in range(3)]
        while len(connections) < 3:
            await asyncio.sleep(0.01)
        for text in TEXTS:
            send_all(connections, text)
        for client in clients:
            assert [await client.recv() for _ in TEXTS] == TEXTS
        # A closed connection is skipped; the others still get the frame.
        await clients[0].close()
        await connections[0].wait_closed()
        send_all(connections, "après")
        assert [await client.recv() for client in clients[1:]] == ["après", "après"]
        for client in clients[1:]:
            await client.close()
        server.close()
    run(scenario())


def test_a_compressed_connection_gets_the_frame_from_websockets():
    async def scenario():
        server, connections, url = await _server("deflate")
        plain = await connect(url, compression=None)
        deflated = await connect(url, compression="deflate")
        while len(connections) < 2:
            await asyncio.sleep(0.01)
        assert [bool(ws.protocol.extensions) for ws in connections] == [False, True]
        send_all(connections, TEXTS[3])
        assert await plain.recv() == TEXTS[3] and await deflated.recv() == TEXTS[3]
        await plain.close()
        await deflated.close()
        server.close()
    run(scenario())
