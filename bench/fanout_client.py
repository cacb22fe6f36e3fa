"""A minimal WebSocket client for the fan-out bench: one asyncio protocol per connection, no task per client.

The same client measures the three servers, so its own cost weighs equally on each. It records, for every `seq`
it sees in a text frame, how many clients have received it and when the last one did.

Every connection reads into one shared buffer (`asyncio.BufferedProtocol`, `recv_into`): a plain `Protocol` has
asyncio allocate a 256 KiB `bytes` for every `recv()` and shrink it to the few hundred bytes of a frame, which cost
the client 20–25 µs per frame — more CPU than the live server spent sending it (28 November 2026, second pass).
"""
import asyncio
import base64
import os
import re
import struct
import time

SEQ = re.compile(rb'"seq":(\d+)')


class Tally:
    """Receipts per seq: how many clients have it, and when the last one got it."""

    def __init__(self, expected: int):
        self.expected, self.count, self.last = expected, {}, {}
        self.done: dict[int, asyncio.Future] = {}
        #: Events a client received out of order: a gap, a duplicate or one going back (must stay 0).
        self.disorder = 0

    def received(self, client, seq: int) -> None:
        """client received the event seq: it must be the one after its previous event (from its first on)."""
        if client.seq is not None and seq != client.seq + 1:
            self.disorder += 1
        client.seq = seq
        self.seen(seq)

    def wait_for(self, seq: int) -> asyncio.Future:
        """A future resolved when every client has received seq."""
        future = self.done.setdefault(seq, asyncio.get_running_loop().create_future())
        if self.count.get(seq, 0) >= self.expected and not future.done():
            future.set_result(self.last[seq])
        return future

    def seen(self, seq: int) -> None:
        """One more client received seq."""
        n = self.count[seq] = self.count.get(seq, 0) + 1
        if n >= self.expected:
            self.last[seq] = time.perf_counter()
            future = self.done.get(seq)
            if future is not None and not future.done():
                future.set_result(self.last[seq])


#: The receive buffer every connection reads into; get_buffer and buffer_updated run back to back on the loop's
#: thread, and buffer_updated copies out what it keeps, so one buffer serves them all.
RECEIVE = memoryview(bytearray(256 * 1024))


class WSClient(asyncio.BufferedProtocol):
    """Handshake, then parse unmasked server frames; reply to pings; hand text frames to on_text."""

    def __init__(self, host: str, port: int, path: str, on_text):
        self.request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
                        "Sec-WebSocket-Version: 13\r\n\r\n").encode()
        self.on_text, self.buffer, self.upgraded, self.in_room = on_text, b"", False, False
        #: The seq of the last event this connection received (Tally.received checks the next one follows it).
        self.seq = None
        self.ready = asyncio.get_running_loop().create_future()
        self.transport = None
        #: Called with (restart: bool) when an established connection closes; the close code the server sent.
        self.on_lost, self.close_code = None, None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def get_buffer(self, sizehint: int) -> memoryview:
        return RECEIVE

    def buffer_updated(self, nbytes: int):
        self.data_received(RECEIVE[:nbytes].tobytes())

    def data_received(self, data: bytes):
        self.buffer += data
        if not self.upgraded:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            if not head.startswith(b"HTTP/1.1 101"):
                self.ready.set_exception(ConnectionError(head[:80].decode(errors="replace")))
                return
            self.upgraded, self.buffer = True, rest
            self.ready.set_result(self)
        self._frames()

    def _frames(self):
        buf = self.buffer
        while len(buf) >= 2:
            opcode, length, offset = buf[0] & 0x0F, buf[1] & 0x7F, 2
            if length == 126:
                if len(buf) < 4:
                    break
                length, offset = struct.unpack("!H", buf[2:4])[0], 4
            elif length == 127:
                if len(buf) < 10:
                    break
                length, offset = struct.unpack("!Q", buf[2:10])[0], 10
            if len(buf) < offset + length:
                break
            payload, buf = buf[offset:offset + length], buf[offset + length:]
            if opcode == 1:
                self.on_text(self, payload)
            elif opcode == 9:
                self._send(0xA, payload)
            elif opcode == 8:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                self.transport.close()
        self.buffer = buf

    def _send(self, opcode: int, payload: bytes):
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x80 | opcode])
        header += bytes([0x80 | n]) if n < 126 else bytes([0xFE]) + struct.pack("!H", n) if n < 65536 else \
            bytes([0xFF]) + struct.pack("!Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.transport.write(header + mask + masked)

    def send_text(self, text: str):
        self._send(0x1, text.encode())

    def connection_lost(self, exc):
        if self.on_lost is not None and self.ready.done():
            self.on_lost(self.close_code == 1012)
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed during handshake"))


async def open_client(host: str, port: int, path: str, on_text) -> WSClient:
    """Connect and finish the handshake."""
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_connection(lambda: WSClient(host, port, path, on_text), host, port)
    return await asyncio.wait_for(protocol.ready, 10)
