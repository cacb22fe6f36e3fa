"""The live server: one handler per connection, one room per meeting, the bus between processes."""
import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from flask import Flask
from sqlalchemy.exc import DBAPIError
from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

from cop import logs
from cop.errors import DomainError
from cop.live import tokens, work
from cop.live.bus import MemoryBus
from cop.live.presence import BusListener
from cop.live.rooms import Client, Room, dumps
from cop.live.throttle import Throttle
from cop.live.writer import Writer
from cop.meetings import registry

log = logging.getLogger("cop.live")
HELLO_TIMEOUT = 10
#: Close codes: 1008 policy (flooding), 1012 service restart ("reconnect"); 44xx mirror HTTP statuses.
CLOSE_BAD_HELLO, CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_TIMEOUT = 4400, 4401, 4403, 4404, 4408
#: 1013 "try again later": the database is away; the client reconnects with its usual back-off.
CLOSE_TRY_LATER = 1013
FLOOD_STRIKES = 10
UNAVAILABLE = "Erreur momentanée : la commande n’a pas été enregistrée, réessayez."


class LiveServer(BusListener):
    """Rooms, worker threads and the bus of one live process."""

    def __init__(self, app: Flask, bus: MemoryBus):
        self.app, self.bus, self.work = app, bus, work
        self.config = app.config
        self.rooms: dict[int, Room] = {}
        # Writes go through one thread in arrival order (SQLite has one writer anyway; on PostgreSQL the meeting
        # row lock orders the processes); reads (hello, catch-up, gap filling) run beside them.
        self.writer = Writer(self._in_app)
        self.reader = ThreadPoolExecutor(4, thread_name_prefix="live-read")
        app.config["COP_LIVE_ORIGIN"] = bus.origin
        bus.subscribe(self.on_bus)
        bus.on_resync(self.resync)

    def _in_app(self, fn, args):
        """Run fn inside an app context (its own database session)."""
        with self.app.app_context():
            return fn(*args)

    async def run(self, fn, *args, write: bool = False):
        """Run database work in a worker thread."""
        if write:
            return await self.writer.submit(fn, args)
        return await asyncio.get_running_loop().run_in_executor(self.reader, self._in_app, fn, args)

    async def handler(self, ws: ServerConnection) -> None:
        """One connection: hello, catch-up, then commands until it closes."""
        joined = await self.hello(ws)
        if joined is None:
            return
        room, client = joined
        throttle = Throttle(self.config["COP_LIVE_COMMAND_RATE"], self.config["COP_LIVE_COMMAND_BURST"])
        previous: Optional[asyncio.Task] = None
        try:
            async for raw in ws:
                if not throttle.allow():
                    await self.refuse(ws, None, "throttled", "Trop de commandes : patientez un instant.")
                    if throttle.strikes >= FLOOD_STRIKES:
                        await ws.close(1008, "flood")
                        break
                    continue
                # Read ahead: the command is queued for the database now, answered after the previous one.
                previous = asyncio.create_task(self.command(room, client, self.submit(room, client, raw), previous))
        except ConnectionClosed:
            pass
        finally:
            self.forget(room, client)
            self.presence_changed(room)

    def forget(self, room: Room, client: Client) -> None:
        """A client leaves its room; an empty room is dropped."""
        room.leave(client)
        if not room.clients and self.rooms.get(room.meeting_id) is room:
            self.rooms.pop(room.meeting_id, None)

    def resync(self) -> None:
        """The bus listens again: fill every room from the journal and exchange presence with the other processes."""
        loop = asyncio.get_running_loop()
        for room in list(self.rooms.values()):
            loop.create_task(room.fill())
            self.presence_changed(room)
            loop.create_task(self.bus.publish({"k": "presence_query", "m": room.meeting_id}))

    async def refuse(self, ws: ServerConnection, command_id, code: str, message: str) -> None:
        """Send an error frame (nothing happens if the connection is already gone)."""
        broadcast([ws], dumps({"type": "error", "id": command_id, "code": code, "message": message}))

    async def hello(self, ws: ServerConnection) -> Optional[tuple[Room, Client]]:
        """Read the hello, check the token and the meeting, join the room and send what the client missed."""
        try:
            msg = json.loads(await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT))
        except (asyncio.TimeoutError, TimeoutError):
            await ws.close(CLOSE_TIMEOUT, "hello_timeout")
            return None
        except (ValueError, TypeError):
            msg = None
        except ConnectionClosed:
            return None
        meeting_id = msg.get("meeting") if isinstance(msg, dict) and msg.get("type") == "hello" else None
        if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
            await self.refuse(ws, None, "bad_request", "Le premier message doit être un « hello » avec une séance.")
            await ws.close(CLOSE_BAD_HELLO, "bad_request")
            return None
        try:
            user_id = None
            if msg.get("token") is not None:
                user_id = tokens.read(self.config["SECRET_KEY"], msg["token"], meeting_id,
                                      self.config["COP_LIVE_TOKEN_TTL"])
            info = await self.run(work.admit, meeting_id, user_id)
            return await self.join(ws, meeting_id, info, msg.get("since"))
        except DomainError as error:
            await self.refuse(ws, None, error.code, error.message)
            close = {401: CLOSE_UNAUTHORIZED, 404: CLOSE_NOT_FOUND}.get(error.status, CLOSE_FORBIDDEN)
            await ws.close(close, error.code)
            return None
        except ConnectionClosed:
            return None
        except Exception as error:  # the database is away: the client comes back later
            log.warning("live hello failed: %s", type(error).__name__)
            await self.refuse(ws, None, "unavailable", UNAVAILABLE)
            await ws.close(CLOSE_TRY_LATER, "unavailable")
            return None

    async def join(self, ws: ServerConnection, meeting_id: int, info: dict, since) -> tuple[Room, Client]:
        """Register the client, then send a snapshot or exactly the missed events."""
        room = self.rooms.get(meeting_id)
        if room is None:
            room = self.rooms[meeting_id] = Room(self, meeting_id, info["last_seq"], info["accredited"],
                                                 info["quorum_percent"])
            asyncio.get_running_loop().create_task(self.bus.publish({"k": "presence_query", "m": meeting_id}))
        you = info["you"]
        client = Client(ws, you["user_id"], you["party_id"], you["can_chair"])
        upto = room.join(client)
        try:
            snap, frames = await self.run(work.catch_up, meeting_id, since, upto)
        except Exception:
            self.forget(room, client)
            raise
        if snap is not None:
            broadcast([ws], dumps(dict(snap, you=you)))
            room.synced_up_to(client, snap["seq"])
        else:
            broadcast([ws], dumps({"type": "welcome", "seq": since, "you": you}))
            for frame in frames:
                broadcast([ws], dumps(frame))
            room.synced_up_to(client, frames[-1]["seq"] if frames else since)
        self.presence_changed(room, to=ws)
        return room, client

    def submit(self, room: Room, client: Client, raw) -> tuple:
        """Read a command and queue it for the database; return (command id, future) or (command id, refusal)."""
        try:
            msg = json.loads(raw)
        except (ValueError, TypeError):
            msg = None
        if not isinstance(msg, dict) or msg.get("type") != "command":
            return None, ("bad_request", "Message illisible : JSON « command » attendu.")
        command_id = msg.get("id")
        if client.user_id is None:
            return command_id, ("read_only", "Suivi en lecture seule : connectez-vous pour agir.")
        args = registry.enrich(msg.get("name"), msg.get("args", {}), room)
        job = (room.meeting_id, client.user_id, msg.get("name"), args, command_id, logs.new_id())
        return command_id, self.writer.submit(work.apply_command, job)

    async def command(self, room: Room, client: Client, queued: tuple, previous: Optional[asyncio.Task]) -> None:
        """Once the previous command is answered: ack after commit and broadcast the event, or refuse."""
        if previous is not None:
            await asyncio.wait([previous])
        command_id, outcome = queued
        try:
            if isinstance(outcome, tuple):
                await self.refuse(client.ws, command_id, *outcome)
                return
            frame, is_new = await outcome
        except DomainError as error:
            await self.refuse(client.ws, command_id, error.code, error.message)
            return
        except ConnectionClosed:
            return
        except Exception as error:  # the database failed: nothing was committed, the client may resend
            if isinstance(error, DBAPIError):
                log.warning("live command failed: %s", type(error).__name__)
            else:
                log.exception("live command failed")
            await self.refuse(client.ws, command_id, "unavailable", UNAVAILABLE)
            return
        broadcast([client.ws], dumps({"type": "ack", "id": command_id, "seq": frame["seq"]}))
        if is_new:
            self.deliver(room, frame)
            registry.delivered(self, room.meeting_id, frame)

    def deliver(self, room: Room, frame: dict) -> None:
        """Hand a committed event to its room, filling a gap first when there is one."""
        if not room.publish(frame):
            asyncio.get_running_loop().create_task(room.fill(frame["seq"]))

    async def shutdown(self) -> None:
        """Tell every client to reconnect (close code 1012), then stop the bus."""
        connections = [c.ws for room in self.rooms.values() for c in room.clients]
        await asyncio.gather(*(ws.close(1012, "reconnect") for ws in connections), return_exceptions=True)
        await self.writer.idle()
        await asyncio.sleep(0.05)  # let the commands just committed send their last frames
        await self.bus.stop()
