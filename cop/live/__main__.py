"""`python -m cop.live`: the live server, on COP_LIVE_HOST:COP_LIVE_PORT at /live."""
import asyncio
import faulthandler
import gc
import http
import json
import logging
import signal
import sys

from websockets.asyncio.server import serve
from websockets.datastructures import Headers
from websockets.http11 import Response

from cop.live.bus import make_bus
from cop.live.connections import create_live_app
from cop.live.server import LiveServer
from cop.live.upkeep import maintain

PATH = "/live"
LISTEN_BACKLOG = 4096


def origins(config) -> list:
    """Allowed Origin values; a missing header (not a browser) is allowed, a foreign one refused with 403."""
    allowed = [o.strip() for o in config["COP_ALLOWED_ORIGINS"].split(",") if o.strip()]
    return allowed + [None]


def health(live: LiveServer) -> dict:
    """This process's state: its connections and rooms, and whether its bus listens ("degraded" when not)."""
    bus = live.bus.state
    return {"status": "ok" if bus in ("memory", "listening") else "degraded", "bus": bus,
            "bus_reconnections": live.bus.reconnections, "rooms": len(live.rooms),
            "connections": sum(len(r.clients) for r in live.rooms.values()), "origin": live.bus.origin}


def make_process_request(live: LiveServer):
    """Answer GET /healthz on the live port, refuse other paths, let /live through."""
    def process_request(connection, request):
        path = request.path.split("?", 1)[0]
        if path == "/healthz":
            body = json.dumps(health(live)).encode()
            headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return Response(200, "OK", headers, body)
        if path != PATH:
            return connection.respond(http.HTTPStatus.NOT_FOUND, "Not Found\n")
        return None
    return process_request


async def serve_live(app, host: str, port: int, ready=None, stop=None) -> None:
    """Serve until `stop` resolves (SIGTERM/SIGINT by default), then close connections with 1012."""
    config = app.config
    bus = make_bus(config["COP_BUS"], config["SQLALCHEMY_DATABASE_URI"])
    live = LiveServer(app, bus)
    await bus.start()
    await live.limits.start()
    loop = asyncio.get_running_loop()
    if stop is None:
        stop = loop.create_future()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with serve(live.handler, host, port, origins=origins(config), process_request=make_process_request(live),
                     max_size=config["COP_LIVE_MAX_FRAME"], compression=None, max_queue=64, close_timeout=3,
                     # 2,000 clients reconnecting at once: the default backlog (100) overflows and their SYNs wait
                     # for retransmission (1 s, 3 s…), past nginx's connect time-out.
                     backlog=LISTEN_BACKLOG) as server:
        maintenance = asyncio.create_task(maintain(live))
        if ready is not None:
            ready(server)
        await stop
        maintenance.cancel()
        # Stop accepting first: the clients told to reconnect come back within a second, and must find the new
        # process (or another one behind nginx), not this one while it closes (2,000 of them held its exit 8 s).
        server.server.close()
        await live.shutdown()
        server.close(close_connections=True)


#: How many times rarer than CPython's default a live process's full garbage collections are.
FULL_COLLECTION_RARITY = 10


def tune_collector() -> None:
    """The garbage collector of a live process, once the app is loaded: fewer, shorter pauses while events fan out.

    The app's long-lived objects (modules, templates, the rulebook) leave the collector's sight (`gc.freeze`). And
    a full collection walks every object of a thousand connections: 63–98 ms of CPU each, 0.14–0.75 s of wall time on
    a busy machine, five times in each live process during a minute and a half of a plenary (bench/plenary.py), every
    one a pause of every delivery. Young collections still free what dies young; what dies old (a closed connection's
    cycles) waits for a full collection FULL_COLLECTION_RARITY times rarer (one per process in the same plenary)."""
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, old * FULL_COLLECTION_RARITY)


def main() -> None:
    """Create the Flask app in this process and run the live server."""
    # A fatal signal (a crash in a C extension) writes every thread's Python stack to stderr before the process dies.
    faulthandler.enable()
    app = create_live_app()  # installs the log handler (cop/logs.py), JSON lines in production
    tune_collector()
    # The event loop gives up the GIL on every socket write; while a worker thread runs a command, a short switch
    # interval hands it back quickly instead of stalling a fan-out for 5 ms per write.
    sys.setswitchinterval(0.0005)
    host, port = app.config["COP_LIVE_HOST"], app.config["COP_LIVE_PORT"]
    logging.getLogger("cop.live").info("live server on ws://%s:%s%s (bus: %s)", host, port, PATH, app.config["COP_BUS"])
    asyncio.run(serve_live(app, host, port))


if __name__ == "__main__":
    main()
