"""Database writes of the live server: one worker thread, arrival order, one thread hop per batch into the worker,
and each job's answer handed back to the event loop as soon as that job is done — or, for a run of commands to one
meeting queued together, as soon as the transaction they share has committed."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional

#: The most jobs of one run handed to a grouped function at once (it may commit them in several transactions).
GROUP_MAX = 64

Settle = Callable[[list], None]


class Writer:
    """Runs write jobs in the order they were submitted; jobs that queue up while it works go in one hop.

    `grouped` maps a job function to the function that runs a run of its jobs together: consecutive jobs of that
    function whose first argument (the meeting) is the same are handed to it as one list, with a `settle` callback it
    calls with the outcomes — (True, result) or (False, exception) — of the first jobs not yet settled, each time some
    are final (after each commit). Jobs it leaves unsettled when it raises get that exception.
    """

    def __init__(self, run_in_app: Callable, grouped: Optional[dict[Callable, Callable]] = None):
        self.run_in_app = run_in_app
        self.grouped = grouped or {}
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
        """Each job in its own app context and transaction (worker thread), but for runs of grouped jobs. An answer
        goes back to the loop as soon as its job is final, not once the whole batch is: 83 ballots cast at once (a
        plenary's vote) used to hold every ack and event until the 83rd had committed (seconds)."""
        start = 0
        while start < len(batch):
            fn, args, future = batch[start]
            end = self._run_end(batch, start)
            if end - start > 1:
                self._run_group(loop, self.grouped[fn], batch[start:end])
            else:
                try:
                    outcome = (True, self.run_in_app(fn, args))
                except Exception as error:  # handed back to the awaiting coroutine, which decides
                    outcome = (False, error)
                loop.call_soon_threadsafe(_settle_all, [future], [outcome])
            start = end

    def _run_end(self, batch: list, start: int) -> int:
        """Where the run of jobs that can go together, starting at `start`, ends (start + 1 for a lone job)."""
        fn, args, _ = batch[start]
        end = start + 1
        if fn in self.grouped and args:
            while (end < len(batch) and end - start < GROUP_MAX and batch[end][0] is fn and batch[end][1]
                   and batch[end][1][0] == args[0]):
                end += 1
        return end

    def _run_group(self, loop: asyncio.AbstractEventLoop, many: Callable, run: list) -> None:
        """A run of jobs through their grouped function; every future is settled, whatever happens."""
        futures = [future for _, _, future in run]
        settled = 0

        def settle(outcomes: list) -> None:
            nonlocal settled
            loop.call_soon_threadsafe(_settle_all, futures[settled:settled + len(outcomes)], outcomes)
            settled += len(outcomes)

        try:
            self.run_in_app(many, ([args for _, args, _ in run], settle))
        except Exception as error:  # what was not committed is answered with the failure
            settle([(False, error)] * (len(run) - settled))
            return
        if settled < len(run):  # a grouped function must answer every job: a caller never waits forever
            settle([(False, RuntimeError("grouped job left unanswered"))] * (len(run) - settled))


def _settle_all(futures: list[asyncio.Future], outcomes: list[tuple[bool, object]]) -> None:
    """Resolve jobs' futures (in the event loop, in one go: their callers wake up together), unless a caller gave up
    on its job."""
    for future, (ok, value) in zip(futures, outcomes):
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
