"""The live server's upkeep: events written by the web door, accounts disabled meanwhile, presence refreshed."""
import asyncio
import logging
import time

from cop.live import work
from cop.meetings import registry

log = logging.getLogger("cop.live")
CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN = 4401, 4403


async def maintain(live) -> None:
    """Forever: pick up events written by the web door, say this process is alive (its sockets count across
    processes while it does), re-check accounts, refresh presence."""
    beating = asyncio.get_running_loop().create_task(heartbeats(live))
    try:
        await upkeep(live)
    finally:
        beating.cancel()


async def heartbeats(live) -> None:
    """Say this process is alive every COP_LIVE_HEARTBEAT_SECONDS, on its own: not after the upkeep's other work,
    whose timers' settling waits in the commands' writer queue (a vote's ballots under load: longer than the
    expiry, and the peers gave a living process up for dead, refusing its clients' joins)."""
    beat, failing = live.config["COP_LIVE_HEARTBEAT_SECONDS"], False
    while True:
        await asyncio.sleep(beat)
        try:
            await live.limits.heartbeat()
            if failing:
                log.info("live heartbeat works again")
            failing = False
        except Exception:  # the database is away: logged once, retried at the next beat
            if not failing:
                log.exception("live heartbeat failed")
            failing = True


async def upkeep(live) -> None:
    """The rest of the upkeep, one step after the other."""
    poll, recheck = live.config["COP_LIVE_POLL_SECONDS"], live.config["COP_LIVE_RECHECK_SECONDS"]
    last_check = last_presence = time.monotonic()
    failing = False
    while True:
        await asyncio.sleep(poll)
        try:
            await poll_rooms(live)
            await registry.tick(live)
            now = time.monotonic()
            if now - last_check >= recheck:
                last_check = now
                await recheck_accounts(live)
            if now - last_presence >= 15:
                last_presence = now
                for room in list(live.rooms.values()):
                    live.presence_changed(room)
            if failing:
                log.info("live maintenance works again")
            failing = False
        except Exception:  # a database hiccup must not stop the loop; it is logged once and retried
            if not failing:
                log.exception("live maintenance failed")
            failing = True


async def poll_rooms(live) -> None:
    """Fill rooms that are behind the table (events committed without a bus message reaching us)."""
    if not live.rooms:
        return
    seqs = await live.run(work.last_seqs, list(live.rooms))
    for meeting_id, seq in seqs.items():
        room = live.rooms.get(meeting_id)
        if room is not None and seq > room.last_seq:
            await room.fill(seq)


async def recheck_accounts(live) -> None:
    """Close the connections of disabled accounts, of ended web sessions and of users who left a closed meeting."""
    for room in list(live.rooms.values()):
        # Only the clients present when the database is read are judged by its answer; later ones at the next round.
        clients = [c for c in room.clients if c.user_id is not None]
        if not clients:
            continue
        allowed = await live.run(work.still_allowed, room.meeting_id, sorted({c.user_id for c in clients}))
        for client in clients:
            if client not in room.clients:
                continue
            if client.user_id not in allowed:
                await client.ws.close(CLOSE_FORBIDDEN, "account_disabled")
            elif allowed[client.user_id] != client.session:
                await client.ws.close(CLOSE_UNAUTHORIZED, "session_ended")
