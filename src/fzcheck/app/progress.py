"""The progress bar of a batch."""
from __future__ import annotations

import os
import sys


class Progress:
    """A one-line progress bar on stderr, for batches on a terminal only."""

    def __init__(self, total: int, stream=None, label: str = "checking", enabled: bool | None = None):
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty()) and total > 1 and not os.environ.get("FZCHECK_NO_PROGRESS")
        self.enabled = enabled
        self.label = label
        self._last = -1

    def __call__(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        pct = self.done * 100 // max(1, self.total)
        if pct == self._last and self.done < self.total:
            return
        self._last = pct
        width = 30
        filled = width * self.done // max(1, self.total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (width - filled)}] "
                          f"{self.done}/{self.total} {pct:3d}%")
        self.stream.flush()

    def clear(self) -> None:
        """Wipe the bar (before another line goes to stderr); the next update redraws it."""
        if self.enabled and self._last >= 0:
            self.stream.write("\r" + " " * (len(self.label) + 60) + "\r")
            self.stream.flush()
            self._last = -1

    def close(self) -> None:
        self.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
