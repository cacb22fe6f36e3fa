"""Database writes of the live server: one worker thread, arrival order, one thread hop per batch into the worker,
and each job's answer handed back to the event loop as soon as that job is done."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Callable


class Writer:
    """Runs write jobs in the order they were submitted; jobs that queue up while it works go in one hop."""

    def __init__(self, run_in_app: Callable):
        self.run_in_app = run_in_app
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="live-write")
        self.queue: list[tuple[Callable, tuple, asyncio.Future]] = []
        self.busy = False

    def submit(self, fn: Callable, args: tuple) -> asyncio.Future:
        """Queue fn(*args) now (so order is kept) and return a future for its result."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.queue.append((fn, args, future))
        if not self.busy:
            self.busy = True
            loop.create_task(self._drain())
        return future

    async def idle(self, seconds: float = 5) -> None:
        """Wait (a bounded time) until every queued job is done, e.g. before shutting down."""
        deadline = asyncio.get_running_loop().time() + seconds
        while self.busy and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)

    async def _drain(self) -> None:
        """Hand the queued jobs to the worker thread, batch after batch, until none is left."""
        loop = asyncio.get_running_loop()
        try:
            while self.queue:
                batch, self.queue = self.queue, []
                await loop.run_in_executor(self.executor, self._run_batch, loop, batch)
        finally:
            self.busy = False

    def _run_batch(self, loop: asyncio.AbstractEventLoop, batch: list) -> None:
        """Each job in its own app context and transaction (worker thread). Its answer goes back to the loop as soon
        as the job is done, not once the whole batch is: each job commits on its own, and 83 ballots cast at once
        (a plenary's vote) used to hold every ack and event until the 83rd had committed (seconds)."""
        for fn, args, future in batch:
            try:
                outcome = (True, self.run_in_app(fn, args))
            except Exception as error:  # handed back to the awaiting coroutine, which decides
                outcome = (False, error)
            loop.call_soon_threadsafe(_settle, future, outcome)


def _settle(future: asyncio.Future, outcome: tuple[bool, object]) -> None:
    """Resolve a job's future (in the event loop), unless its caller gave up on it."""
    if future.done():
        return
    ok, value = outcome
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
