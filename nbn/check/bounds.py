"""Bounds on the work a worked-example file may cause, and the wall-time limit.

The file is untrusted, so work is bounded before and while computing:

* before parsing: file size, expression length, nesting and operator count
  (:mod:`nbn.check.load`, :mod:`nbn.check.expr`);
* while computing: the size of every exact rational intermediate
  (:data:`MAX_BITS`; an integer power's size is estimated *before* SymPy
  computes it, since SymPy computes ``Rational ** int`` eagerly), the magnitude
  of every value (the engine computes in float64), ``after`` step counts
  (:data:`nbn.check.load.MAX_STEPS`), and wall time (:class:`Deadline`).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "MAX_BITS",
    "MAX_MAGNITUDE",
    "MIN_MAGNITUDE",
    "RECURSION_LIMIT",
    "Deadline",
    "TimeLimitExceeded",
    "deeper_recursion",
]

#: Largest numerator or denominator of an exact intermediate, in bits (~3000 digits).
MAX_BITS = 10_000
#: Largest magnitude of any value: the graph engine computes in float64.
MAX_MAGNITUDE = 1e300
#: Smallest magnitude of a non-zero number a file states (a given, a stated value,
#: the learning rate): float64 holds nothing much smaller.
MIN_MAGNITUDE = 1e-300
#: Default wall-time limit per file, in seconds.
DEFAULT_TIME_LIMIT = 60.0


#: Python's recursion limit while a file is checked: SymPy differentiates and
#: evaluates recursively, about 35 frames per nested function, so an expression
#: nested :data:`nbn.check.expr.MAX_DEPTH` deep needs about 1500 (measured).
RECURSION_LIMIT = 4000


@contextlib.contextmanager
def deeper_recursion() -> Iterator[None]:
    """Raise the recursion limit to :data:`RECURSION_LIMIT` (never lower it), restoring it."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


class TimeLimitExceeded(Exception):  # noqa: N818 - it is a signal, caught by the checker
    """The file's wall-time limit passed."""


class Deadline:
    """A wall-time limit: :meth:`check` raises :class:`TimeLimitExceeded` once it passed.

    Used as a context manager in the main thread, it also arms ``SIGALRM`` so
    that one long SymPy call cannot outlive the limit; elsewhere the checks
    between steps are cooperative only.
    """

    def __init__(self, seconds: float = DEFAULT_TIME_LIMIT) -> None:
        if not seconds > 0:
            raise ValueError(f"the time limit must be positive, got {seconds!r}")
        self.seconds = float(seconds)
        self.end = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise :class:`TimeLimitExceeded` if the limit has passed."""
        if time.monotonic() > self.end:
            raise TimeLimitExceeded(self.seconds)

    @contextlib.contextmanager
    def armed(self) -> Iterator[None]:
        """Arm ``SIGALRM`` for the remaining time (main thread, Unix), restoring it after."""
        usable = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        if not usable:
            yield
            return

        def expire(signum: int, frame: FrameType | None) -> None:
            raise TimeLimitExceeded(self.seconds)

        previous = signal.signal(signal.SIGALRM, expire)
        old_timer = signal.setitimer(signal.ITIMER_REAL, max(self.end - time.monotonic(), 1e-3))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if old_timer[0] > 0:
                signal.setitimer(signal.ITIMER_REAL, *old_timer)
