"""The live server: one handler per connection, one room per meeting, the bus between processes."""
import asyncio
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

from flask import Flask
from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy.exc import DBAPIError
from websockets.asyncio.server import ServerConnection, broadcast
from websockets.exceptions import ConnectionClosed

from cop import logs
from cop.errors import DomainError
from cop.inputguard import HostileInput, check_value
from cop.live import tokens, work
from cop.live.bus import MemoryBus
from cop.live.joins import Admissions
from cop.live.presence import BusListener
from cop.live.rooms import Client, Room, dumps
from cop.live.limits import CLOSE_TOO_MANY, Limits
from cop.live.snapshots import Snapshots
from cop.live.writer import Writer
from cop.meetings import registry

log = logging.getLogger("cop.live")
HELLO_TIMEOUT = 10
#: Seconds the closing handshakes of a shutdown may take before the remaining connections are cut.
SHUTDOWN_GRACE = 1.0
#: Close codes: 1008 policy (flooding), 1012 service restart ("reconnect"); 44xx mirror HTTP statuses.
CLOSE_BAD_HELLO, CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_TIMEOUT = 4400, 4401, 4403, 4404, 4408
#: 1013 "try again later": the database is away; the client reconnects with its usual back-off.
CLOSE_TRY_LATER = 1013
FLOOD_STRIKES = 10
LANGUAGES = ("fr", "en")
#: The server's own refusals; domain errors bring theirs. Both are sent in the connection's language.
THROTTLED = _l("Trop de commandes : patientez un instant.")
BAD_HELLO = _l("Le premier message doit être un « hello » avec une séance.")
UNREADABLE = _l("Message illisible : JSON « command » attendu.")
READ_ONLY = _l("Suivi en lecture seule : connectez-vous pour agir.")
UNAVAILABLE = _l("Erreur momentanée : la commande n’a pas été enregistrée, réessayez.")


def command_id_of(raw) -> Optional[str]:
    """The id of a command frame, when it has a sane one (for a refusal the client can match)."""
    try:
        command_id = json.loads(raw).get("id")
    except (ValueError, TypeError, AttributeError):
        return None
    return command_id if isinstance(command_id, str) and len(command_id) <= 64 else None


class LiveServer(BusListener):
    """Rooms, worker threads and the bus of one live process."""

    def __init__(self, app: Flask, bus: MemoryBus):
        self.app, self.bus, self.work = app, bus, work
        self.config = app.config
        self.rooms: dict[int, Room] = {}
        self.limits = Limits(app.config, self.run)
        # Writes go through one thread in arrival order (SQLite has one writer anyway; on PostgreSQL the meeting
        # row lock orders the processes); reads (hello, catch-up, gap filling) run beside them. Commands to one
        # meeting that queue up while the writer works (a vote's ballots) share a transaction: one lock of the
        # meeting and one commit for the run, each command in its own savepoint.
        self.writer = Writer(self._in_app, grouped={work.apply_command: work.apply_commands})
        self.reader = ThreadPoolExecutor(4, thread_name_prefix="live-read")
        self.snapshots = Snapshots(self)
        self.admissions = Admissions(self)
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
        throttle = self.limits.bucket(client.user_id)
        previous: Optional[asyncio.Task] = None
        try:
            async for raw in ws:
                if not throttle.allow():
                    await self.refuse(ws, command_id_of(raw), "throttled", THROTTLED, client.language)
                    if throttle.strikes >= FLOOD_STRIKES:
                        await ws.close(1008, "flood")
                        break
                    continue
                # Read ahead: the command is queued for the database now, answered after the previous one.
                previous = asyncio.create_task(self.command(room, client, self.submit(room, client, raw), previous))
        except ConnectionClosed:
            pass
        finally:
            await self.limits.close(ws, client.user_id)
            self.forget(room, client)
            self.presence_changed(room)

    def forget(self, room: Room, client: Client) -> None:
        """A client leaves its room; an empty room is dropped, with its shared snapshot."""
        room.leave(client)
        if not room.clients and self.rooms.get(room.meeting_id) is room:
            self.rooms.pop(room.meeting_id, None)
            self.snapshots.forget(room.meeting_id)

    def resync(self) -> None:
        """The bus listens again: fill every room from the journal and exchange presence with the other processes."""
        loop = asyncio.get_running_loop()
        for room in list(self.rooms.values()):
            loop.create_task(room.fill())
            self.presence_changed(room)
            loop.create_task(self.bus.publish({"k": "presence_query", "m": room.meeting_id}))

    def text(self, message, language: str) -> str:
        """A refusal (domain error or lazy string) in the connection's language."""
        with self.app.app_context(), force_locale(language):
            return message.message if isinstance(message, DomainError) else str(message)

    async def refuse(self, ws: ServerConnection, command_id, code: str, message, language: str = "fr") -> None:
        """Send an error frame in the reader's language (nothing happens if the connection is already gone)."""
        frame = {"type": "error", "id": command_id, "code": code, "message": self.text(message, language)}
        broadcast([ws], dumps(frame))

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
        language = msg.get("lang") if isinstance(msg, dict) and msg.get("lang") in LANGUAGES else "fr"
        if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
            await self.refuse(ws, None, "bad_request", BAD_HELLO, language)
            await ws.close(CLOSE_BAD_HELLO, "bad_request")
            return None
        try:
            user_id = session = None
            if msg.get("token") is not None:
                user_id, session = tokens.read(self.config["SECRET_KEY"], msg["token"], meeting_id,
                                               self.config["COP_LIVE_TOKEN_TTL"])
            info = await self.admissions.admit(meeting_id, user_id, session, language, meeting_id not in self.rooms)
            refusal = await self.limits.open(ws, info["you"]["user_id"])
            if refusal is not None:
                await self.refuse(ws, None, "too_many_connections", refusal, language)
                await ws.close(CLOSE_TOO_MANY, "too_many_connections")
                return None
            try:
                return await self.join(ws, meeting_id, info, msg.get("since"), language)
            except BaseException:
                await self.limits.close(ws, info["you"]["user_id"])
                raise
        except DomainError as error:
            await self.refuse(ws, None, error.code, error, language)
            close = {401: CLOSE_UNAUTHORIZED, 404: CLOSE_NOT_FOUND}.get(error.status, CLOSE_FORBIDDEN)
            await ws.close(close, error.code)
            return None
        except ConnectionClosed:
            return None
        except Exception as error:  # the database is away: the client comes back later
            log.warning("live hello failed: %s", type(error).__name__)
            await self.refuse(ws, None, "unavailable", UNAVAILABLE, language)
            await ws.close(CLOSE_TRY_LATER, "unavailable")
            return None

    async def join(self, ws: ServerConnection, meeting_id: int, info: dict, since,
                   language: str) -> tuple[Room, Client]:
        """Register the client, then send a snapshot or exactly the missed events."""
        room = self.rooms.get(meeting_id)
        if room is None and not info.get("room_info", True):  # the room closed since the hello was read
            info = dict(await self.run(work.admit, meeting_id, info["you"]["user_id"], info.get("session"), language),
                        you=info["you"])
            room = self.rooms.get(meeting_id)
        if room is None:
            room = self.rooms[meeting_id] = Room(self, meeting_id, info["last_seq"], info["accredited"],
                                                 info["quorum_percent"], info["phase"], info["kind"], info["state"])
            asyncio.get_running_loop().create_task(self.bus.publish({"k": "presence_query", "m": meeting_id}))
        you = info["you"]
        client = Client(ws, you["user_id"], you["party_id"], you["can_chair"], roles=info["roles"],
                        language=language, session=info.get("session"))
        upto = room.join(client)
        try:
            frames = await self.missed(room, since, upto)
            joining = await self.snapshots.for_join(room, upto) if frames is None else None
        except BaseException:
            self.forget(room, client)
            raise
        if frames is not None:
            broadcast([ws], dumps({"type": "welcome", "seq": since, "you": you, "may": room.may_of(client)}))
            for text in frames:
                broadcast([ws], text)
            room.synced_up_to(client, upto if frames else since)
        else:
            seq, state_text, tail = joining
            broadcast([ws], self.snapshots.frame(seq, state_text, you, {"may": room.may_of(client)}), text=True)
            for text in tail:
                broadcast([ws], text)
            room.synced_up_to(client, max(seq, upto))
        self.presence_changed(room, to=ws)
        return room, client

    async def missed(self, room: Room, since, upto: int) -> Optional[list[str]]:
        """The event frames after `since` up to `upto` (from the room, else the journal), or None for a snapshot."""
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            return None
        if since <= upto and upto - since <= self.config["COP_LIVE_REPLAY_MAX"]:
            frames = room.frames_between(since, upto)
            if frames is not None:
                return frames
        snap, events = await self.run(work.catch_up, room.meeting_id, since, upto)
        return None if snap is not None else [dumps(frame) for frame in events]

    def submit(self, room: Room, client: Client, raw) -> tuple:
        """Read a command and queue it for the database; return (command id, future) or (command id, refusal)."""
        try:
            msg = json.loads(raw)
        except (ValueError, TypeError):
            msg = None
        if not isinstance(msg, dict) or msg.get("type") != "command":
            return None, ("bad_request", UNREADABLE)
        command_id = msg.get("id")
        try:
            check_value(msg)
        except HostileInput as error:
            return (command_id if isinstance(command_id, str) and len(command_id) <= 64 else None), (
                "invalid", error.message)
        if client.user_id is None:
            return command_id, ("read_only", READ_ONLY)
        args = registry.enrich(msg.get("name"), msg.get("args", {}), room)
        # The presence this server measures travels beside the arguments: no client can claim it.
        job = (room.meeting_id, client.user_id, client.session, msg.get("name"), args, command_id,
               room.presence()["present"], logs.new_id())
        return command_id, self.writer.submit(work.apply_command, job)

    async def command(self, room: Room, client: Client, queued: tuple, previous: Optional[asyncio.Task]) -> None:
        """Once the previous command is answered: ack after commit and broadcast the event, or refuse."""
        if previous is not None:
            await asyncio.wait([previous])
        command_id, outcome = queued
        try:
            if isinstance(outcome, tuple):
                await self.refuse(client.ws, command_id, *outcome, client.language)
                return
            frame, is_new = await outcome
        except DomainError as error:
            await self.refuse(client.ws, command_id, error.code, error, client.language)
            if error.code == "session_ended":
                await client.ws.close(CLOSE_UNAUTHORIZED, "session_ended")
            return
        except ConnectionClosed:
            return
        except Exception as error:  # the database failed: nothing was committed, the client may resend
            if isinstance(error, DBAPIError):
                log.warning("live command failed: %s", type(error).__name__)
            else:
                log.exception("live command failed")
            await self.refuse(client.ws, command_id, "unavailable", UNAVAILABLE, client.language)
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
        # Every client is sent its 1012 at once; those whose closing handshake has not ended within a second are
        # cut (they have the close frame: they reconnect anyway), so that the restart is not held up by them.
        closing = [asyncio.ensure_future(ws.close(1012, "reconnect")) for ws in connections]
        if closing:
            _, late = await asyncio.wait(closing, timeout=SHUTDOWN_GRACE)
            for task in late:
                task.cancel()
            for ws in connections:
                if ws.transport is not None and not ws.transport.is_closing():
                    ws.transport.abort()
        await self.writer.idle()
        try:
            await self.limits.stop()
        except Exception as error:  # the database is away: this process's rows expire instead
            log.warning("live process unregister failed: %s", type(error).__name__)
        await asyncio.sleep(0.05)  # let the commands just committed send their last frames
        await self.bus.stop()
