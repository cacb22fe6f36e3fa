"""Admission of joining clients, batched: the hellos that arrive while one batch is read share the next one.

Each hello needs to know who its client is in the meeting (`work.admit`: the meeting, the account and its web
session, the membership, the role part of `may`). Read one by one, 2,000 clients rejoining after a restart cost
2,000 worker-thread round trips and about eight queries each; here the hellos of a meeting that arrive while the
previous batch is being read wait for one `work.admit_many`, which reads the meeting and the accounts once. Nothing
is cached across batches: every client is admitted on what the database says after its hello arrived.
"""
import asyncio
from typing import Optional

from cop.errors import DomainError
from cop.live import work

#: Hellos read together at most (a larger storm is served in several batches, one after the other).
BATCH = 256


class Admissions:
    """The hellos waiting for admission, per meeting, and the one batch being read."""

    def __init__(self, server):
        self.server = server
        self.pending: dict[int, list] = {}
        self.running = False

    async def admit(self, meeting_id: int, user_id: Optional[int], session: Optional[str], language: str,
                    room_info: bool) -> dict:
        """This client's admission (work.admit's answer), or its DomainError raised."""
        future = asyncio.get_running_loop().create_future()
        self.pending.setdefault(meeting_id, []).append(((user_id, session, language), room_info, future))
        if not self.running:
            self.running = True
            asyncio.get_running_loop().create_task(self._drain())
        answer = await future
        if isinstance(answer, DomainError):
            raise answer
        return answer

    async def _drain(self) -> None:
        """Read batches until no hello waits."""
        try:
            while self.pending:
                batches = []
                for meeting_id in list(self.pending):
                    items = self.pending[meeting_id]
                    batches.append((meeting_id, items[:BATCH]))
                    if len(items) > BATCH:
                        self.pending[meeting_id] = items[BATCH:]
                    else:
                        del self.pending[meeting_id]
                await asyncio.gather(*(self._read(meeting_id, items) for meeting_id, items in batches))
        finally:
            self.running = False

    async def _read(self, meeting_id: int, items: list) -> None:
        """One batch of a meeting: every waiting hello gets its answer, or the failure (the database is away)."""
        try:
            answers = await self.server.run(work.admit_many, meeting_id, [request for request, _, _ in items],
                                            any(room_info for _, room_info, _ in items))
        except Exception as error:  # noqa: BLE001 — handed to each hello, which answers 1013
            for _, _, future in items:
                if not future.done():
                    future.set_exception(error)
            return
        for (_, _, future), answer in zip(items, answers):
            if not future.done():
                future.set_result(answer)
