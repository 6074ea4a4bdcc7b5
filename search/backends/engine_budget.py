"""How long a family's search waits for the search engine, and when it stops asking.

A slow engine must not make a family wait: each search gives the engine a budget
(`SEARCH_ENGINE["BUDGET"]`, one second by default) for all its calls together, each call's
timeout being what is left of it; past it, the search is answered from the database. And
after the engine failed or was too slow, searches in this process go straight to the database
for `SEARCH_ENGINE["RETRY_AFTER"]` seconds (a circuit breaker), so only one family in that
time waits for the engine; the next search after it asks the engine again."""

import threading
import time


class EngineTooSlow(Exception):
    """The search's budget for the engine ran out before the engine had answered."""


class Budget:
    def __init__(self, seconds: float, call_limit: float):
        self.deadline = time.monotonic() + seconds
        self.call_limit = call_limit

    def timeout(self) -> float:
        """Seconds for the next call, or EngineTooSlow if none are left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise EngineTooSlow
        return min(left, self.call_limit)


_resting_until: dict[str, float] = {}
_lock = threading.Lock()


def resting(url: str) -> bool:
    """Whether searches should leave the engine at `url` alone for now."""
    with _lock:
        return time.monotonic() < _resting_until.get(url, 0.0)


def rest(url: str, seconds: float) -> None:
    with _lock:
        _resting_until[url] = time.monotonic() + seconds


def answered(url: str) -> bool:
    """The engine answered: searches use it again. Returns whether it had been resting."""
    with _lock:
        return _resting_until.pop(url, None) is not None
