"""Progress display of a study on stderr: the current stage, item counts and an ETA.

On a terminal this is a live ``rich`` display with two bars: the whole study (generations and judgments done out
of all planned, so cached work moves it fast and the ETA reflects what is left) and the current stage. When
stderr is not a terminal (logs, CI, tests) it prints one plain line per stage instead, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import Any


class StudyProgress:
    def __init__(self, total: int, enabled: bool = True, live: bool | None = None):
        self.enabled = enabled
        self.live = (sys.stderr.isatty() if live is None else live) and enabled
        self.total = total
        self.done = 0
        self._stage_done = 0
        self._progress: Any = None
        self._overall: Any = None
        self._stage: Any = None
        self._t0 = time.monotonic()
        if self.live:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("eta"), TimeRemainingColumn(), console=Console(stderr=True), transient=False,
            )
            self._progress.start()
            self._overall = self._progress.add_task("study", total=max(total, 1))
            self._stage = self._progress.add_task("", total=1, visible=False)

    # ---- stages -----------------------------------------------------------------------------------------------
    def stage(self, description: str, total: int | None = None) -> None:
        """Start a stage (a training, or one model's generation/judging)."""
        self._stage_done = 0
        if self.live:
            from rich.markup import escape

            self._progress.update(self._stage, description=escape(description), total=total or 1, completed=0,
                                  visible=True)
        elif self.enabled:
            elapsed = time.monotonic() - self._t0
            count = f" ({total} items)" if total else ""
            print(f"[ptst run {elapsed:6.0f}s] {description}{count}", file=sys.stderr, flush=True)

    def update(self, done: int, total: int, counts_toward_study: bool = True) -> None:
        """Absolute progress within the current stage; the increase also advances the study bar."""
        delta = max(0, done - self._stage_done)
        self._stage_done = done
        if counts_toward_study:
            self.done += delta
        if self.live:
            self._progress.update(self._stage, completed=done, total=max(total, 1))
            if counts_toward_study:
                self._progress.update(self._overall, completed=min(self.done, self.total))

    def log(self, message: str) -> None:
        if self.live:
            from rich.markup import escape

            self._progress.console.print(escape(message))
        elif self.enabled:
            print(message, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.live and self._progress is not None:
            self._progress.update(self._overall, completed=self.total)
            self._progress.stop()
            self._progress = None
