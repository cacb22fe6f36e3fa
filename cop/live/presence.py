"""What the live server does with bus messages: fill rooms from the table, merge presence across processes."""
import asyncio
import time
from typing import Optional

from websockets.asyncio.server import ServerConnection, broadcast

from cop.live.rooms import Room, dumps


class BusListener:
    """Mixed into LiveServer: reacts to other processes and tells them about this one."""

    def on_bus(self, message: dict) -> None:
        """Another process committed an event or changed its presence."""
        room = self.rooms.get(message.get("m"))
        if room is None:
            return
        if "s" in message and isinstance(message["s"], int) and message["s"] > room.last_seq:
            frame = message.get("f")
            if isinstance(frame, dict) and frame.get("type") == "event" and frame.get("seq") == message["s"]:
                self.deliver(room, frame)  # the committed frame itself: no read of the table (unless a gap)
            else:
                asyncio.get_running_loop().create_task(room.fill(message["s"]))
        elif message.get("k") == "presence_query":
            self.presence_changed(room)
        elif message.get("k") == "presence":
            room.remote[message["o"]] = (time.monotonic(), set(message.get("p", [])), int(message.get("c", 0)))
            room.announce_presence()

    def presence_changed(self, room: Room, to: Optional[ServerConnection] = None) -> None:
        """Broadcast presence if it changed, tell the other processes, and greet a new client with it."""
        room.announce_presence()
        if to is not None:
            broadcast([to], dumps(room.presence()))
        if not room.presence_queued:
            # Tell the other processes at most twice a second, however many clients come and go.
            room.presence_queued = True
            asyncio.get_running_loop().call_later(0.5, self._publish_presence, room)

    def _publish_presence(self, room: Room) -> None:
        """Send this process's presence in a room to the bus."""
        room.presence_queued = False
        parties, count = room.local_presence()
        message = {"k": "presence", "m": room.meeting_id, "p": sorted(parties), "c": count}
        asyncio.get_running_loop().create_task(self.bus.publish(message))
