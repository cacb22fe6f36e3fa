"""The live server's writer: one thread, arrival order, and each job answered as soon as it is done."""
import asyncio
import threading

import pytest

from cop.live.writer import Writer


def _direct(fn, args):
    return fn(*args)


def test_each_job_is_answered_before_the_rest_of_its_batch_is_done():
    """Jobs queued together go to the worker thread in one hop; the first one's answer must not wait for the last
    one (a plenary's 166 ballots cast at once held every ack and event until the last had committed)."""
    release = threading.Event()
    done = []

    def quick(n):
        done.append(n)
        return n

    def slow():
        assert release.wait(10), "the test never released the slow job"
        done.append("slow")
        return "slow"

    async def scenario():
        writer = Writer(_direct)
        first, second = writer.submit(quick, (1,)), writer.submit(quick, (2,))
        blocked = writer.submit(slow, ())
        last = writer.submit(quick, (3,))
        # Before the fix these waited for `slow`, which waits for them: a time-out here.
        assert await asyncio.wait_for(first, 5) == 1
        assert await asyncio.wait_for(second, 5) == 2
        assert not blocked.done() and not last.done()
        release.set()
        assert await asyncio.wait_for(blocked, 5) == "slow"
        assert await asyncio.wait_for(last, 5) == 3
        await writer.idle()
        assert not writer.busy
        writer.executor.shutdown()

    asyncio.run(scenario())
    assert done == [1, 2, "slow", 3]  # arrival order kept


def test_a_failing_job_answers_its_own_caller_only():
    """An exception goes to the job's own future; the jobs after it still run, in order, and are answered."""
    async def scenario():
        writer = Writer(_direct)
        broken = writer.submit(lambda: 1 / 0, ())
        fine = writer.submit(lambda: "fine", ())
        abandoned = writer.submit(lambda: "late", ())
        abandoned.cancel()  # a client that went away: its answer is dropped, not set on a cancelled future
        with pytest.raises(ZeroDivisionError):
            await asyncio.wait_for(broken, 5)
        assert await asyncio.wait_for(fine, 5) == "fine"
        await writer.idle()
        assert abandoned.cancelled()
        writer.executor.shutdown()

    asyncio.run(scenario())


def test_a_run_of_commands_to_one_meeting_goes_together():
    """Consecutive jobs of a grouped function for the same first argument (the meeting) reach it as one list; a job
    of another meeting, or of another function, starts a new run; every caller gets its own outcome."""
    calls, release = [], threading.Event()

    def one(meeting, n):
        calls.append(("one", meeting, n))
        return n

    def many(jobs, settle):
        calls.append(("many", [job[1] for job in jobs]))
        settle([(True, -n) if n != 3 else (False, ValueError(n)) for _, n in jobs])

    def hold():
        assert release.wait(10), "the test never released the first job"

    async def scenario():
        writer = Writer(_direct, grouped={one: many})
        blocker = writer.submit(hold, ())
        futures = [writer.submit(one, args) for args in ((7, 1), (7, 2), (7, 3), (8, 4), (7, 5), (7, 6))]
        other = writer.submit(lambda: "other", ())
        last = writer.submit(one, (7, 8))
        release.set()
        await blocker
        results = await asyncio.gather(*futures, other, last, return_exceptions=True)
        await writer.idle()
        writer.executor.shutdown()
        return results

    results = asyncio.run(scenario())
    assert results[:2] == [-1, -2] and isinstance(results[2], ValueError) and results[3:] == [4, -5, -6, "other", 8]
    assert calls == [("many", [1, 2, 3]), ("one", 8, 4), ("many", [5, 6]), ("one", 7, 8)]


def test_a_run_that_fails_answers_every_job_not_yet_answered():
    """A grouped function that commits some jobs then fails (the database went away) answers those it committed;
    the others get the failure, and the jobs queued after the run still run."""
    def one(meeting, n):
        return n

    def many(jobs, settle):
        settle([(True, "committed")])
        raise ConnectionError("database gone")

    async def scenario():
        writer = Writer(_direct, grouped={one: many})
        futures = [writer.submit(one, (7, n)) for n in range(4)]
        after = writer.submit(lambda: "after", ())
        results = await asyncio.gather(*futures, after, return_exceptions=True)
        await writer.idle()
        writer.executor.shutdown()
        return results

    results = asyncio.run(scenario())
    assert results[0] == "committed" and results[-1] == "after"
    assert all(isinstance(r, ConnectionError) for r in results[1:4])
