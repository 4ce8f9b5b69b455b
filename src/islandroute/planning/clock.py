"""One deadline for a whole plan: every stage and every OR-Tools call reads it."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    """A moment on :func:`time.perf_counter`'s clock (the same in forked processes)."""

    end: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline ``seconds`` from now."""
        return cls(time.perf_counter() + seconds)

    def left(self) -> float:
        """Seconds until the deadline (negative once it has passed)."""
        return self.end - time.perf_counter()

    def passed(self) -> bool:
        return time.perf_counter() >= self.end

    def within(self, seconds: float) -> Deadline:
        """``seconds`` from now, or this deadline if it comes sooner."""
        return Deadline(min(self.end, time.perf_counter() + max(0.0, seconds)))

    def sooner(self, other: Deadline) -> Deadline:
        """The earlier of two deadlines."""
        return self if self.end <= other.end else other

    def clip(self, seconds: float) -> float:
        """``seconds``, cut to the time left (never negative)."""
        return max(0.0, min(seconds, self.left()))


NEVER = Deadline(math.inf)
