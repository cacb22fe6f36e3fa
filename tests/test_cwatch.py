"""The benches' C watchers (bench/cwatch.c) are a measuring instrument: against a scripted WebSocket server, plain
and TLS, they must count what a page's client would — the snapshot's seq, every event in order, events delivered
together, a gap, a duplicate, a close and the resume from the last seq — answer the server's pings, report when
every watcher has an event, and write each arrival."""
import asyncio
import json
import ssl
import subprocess

import pytest
from websockets.asyncio.server import serve

from bench import cwatch

# A machine with no C compiler or no OpenSSL headers cannot build the instrument (CI's can: there a skip fails).
pytestmark = pytest.mark.skipif(not cwatch.available(), reason="bench/cwatch.c needs cc and libssl-dev")


def event(seq: int) -> dict:
    return {"type": "event", "seq": seq, "name": "timer.stopped", "data": {"seq": 999}}


def frame(message) -> str:
    """As the live server writes its messages: compact JSON, keys in order."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


class Script:
    """A live server's side of the conversation: the first connection gets a snapshot (seq 10), events 11 and 12,
    13 and 14 together, 16 (15 is missing: a gap), 16 again (a duplicate) and a close 1012; the second, which
    must resume from 16, gets a welcome and 17."""

    def __init__(self):
        self.hellos, self.pongs, self.connections = [], 0, 0

    async def handler(self, ws):
        self.connections += 1
        self.hellos.append(json.loads(await ws.recv()))
        if self.connections == 1:
            await ws.send(frame({"type": "snapshot", "seq": 10, "meeting": {"title": "Plénière"}}))
            for seq in (11, 12):
                await ws.send(frame(event(seq)))
            await ws.send(frame([event(13), event(14)]))
            await asyncio.wait_for(await ws.ping(), 5)
            self.pongs += 1
            await ws.send(frame(event(16)))
            await ws.send(frame(event(16)))
            await ws.send(frame({"type": "error", "code": "forbidden", "message": "Non."}))
            await ws.close(1012)
        else:
            await ws.send(frame({"type": "welcome", "seq": 16}))
            await ws.send(frame(event(17)))
            await ws.wait_closed()


def certificate(directory) -> ssl.SSLContext:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(directory / "k.pem"), "-out", str(directory / "c.pem")], check=True,
                   capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "c.pem", directory / "k.pem")
    return context


async def conversation(tmp_path, tls: bool):
    script, out = Script(), tmp_path / "arrivals.bin"
    context = certificate(tmp_path) if tls else None
    async with serve(script.handler, "127.0.0.1", 0, ssl=context, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        url = f"{'wss' if tls else 'ws'}://127.0.0.1:{port}/live"
        proc = await asyncio.create_subprocess_exec(
            *cwatch.arguments([url], 1, meeting=7, origin="https://cop.example", out=str(out), notify=True),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 20)).decode()]
        while not lines[-1].startswith("all 17 "):
            lines.append((await asyncio.wait_for(proc.stdout.readline(), 20)).decode())
        proc.stdin.write(b"last 17\n")
        totals = json.loads(await asyncio.wait_for(proc.stdout.readline(), 20))
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    return script, lines, totals, cwatch.read_arrivals(str(out))


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
def test_the_c_watcher_counts_what_a_page_would(tmp_path, tls):
    script, lines, totals, arrivals = asyncio.run(conversation(tmp_path, tls))
    assert lines[0] == "ready 1\n"
    assert [line.split()[1] for line in lines[1:]] == ["11", "12", "13", "14", "16", "17"]
    assert script.hellos == [{"type": "hello", "meeting": 7, "since": None},
                             {"type": "hello", "meeting": 7, "since": 16}]
    assert script.pongs == 1
    assert (totals["gaps"], totals["duplicates"], totals["behind"]) == (1, 1, 0)
    assert (totals["connections"], totals["snapshots"], totals["events_received"]) == (2, 1, 6)
    assert totals["messages"] == 9  # snapshot, 2 events, 1 array, 2 events, the error; welcome and 17
    assert totals["closed_by"] == {"1012": 1} and totals["server_closes"] == 1
    assert totals["errors"] == ["refusals: {'forbidden': 1}"]
    assert sorted(arrivals) == [11, 12, 13, 14, 16, 17]
    assert all(len(times) == 1 for times in arrivals.values())
    assert arrivals[13][0] == arrivals[14][0]  # one message, one arrival time
    if tls:  # the second connection resumes the first one's session, as a browser does
        assert (totals["tls_handshakes"], totals["tls_resumed"]) == (2, 1)
    else:
        assert (totals["tls_handshakes"], totals["tls_resumed"]) == (0, 0)


async def many(count: int):
    async def handler(ws):
        await ws.recv()
        await ws.send('{"type":"snapshot","seq":0}')
        for seq in range(1, 21):
            await ws.send(frame(event(seq)))
        await ws.wait_closed()

    async with serve(handler, "127.0.0.1", 0, compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        watchers = cwatch.Watchers([f"ws://127.0.0.1:{port}/live"], count, meeting=3)
        try:
            await watchers.start(30)
            times = [await asyncio.wait_for(watchers.wait_for(seq), 20) for seq in range(1, 21)]
            return times, await watchers.finish()
        finally:
            watchers.kill()


def test_every_watcher_counted_before_an_event_is_reported_delivered():
    times, totals = asyncio.run(many(150))
    assert times == sorted(times)
    assert (totals["clients"], totals["connected_at_end"], totals["events_received"]) == (150, 150, 150 * 20)
    assert (totals["gaps"], totals["duplicates"], totals["server_closes"]) == (0, 0, 0)
