"""What the user sees while segments render: a live line on a terminal (segments done out of
total, minutes of audio rendered, elapsed time and time left, redrawn four times a second by
rich), or one summary line when stderr is not a terminal or progress is turned down."""

from __future__ import annotations

import sys
import time

from ..lazy import lazy_import

# Loaded by the first live line (0.08 s): a build with nothing to render, or no terminal, skips it.
rich_console = lazy_import("rich.console")
live = lazy_import("rich.progress")

LIVE_MIN = 4
"""Fewer segments to render than this and no live line is drawn (it would only flicker)."""


class RenderProgress:
    """Progress of one rendering stage. ``mode`` True: live on a terminal, else one line at the
    end; False: the line only; None: nothing at all (a rendering inside another stage)."""

    def __init__(self, total: int, mode: bool | None) -> None:
        self.total = total
        self.mode = mode
        self.seconds = 0.0
        self.done = 0
        self.started = time.monotonic()
        self._live: live.Progress | None = None
        if mode and total >= LIVE_MIN and sys.stderr.isatty():
            self._live = live.Progress(
                live.TextColumn("rendering"),
                live.BarColumn(),
                live.MofNCompleteColumn(),
                live.TextColumn("segments, {task.fields[minutes]:.1f} min of audio"),
                live.TimeElapsedColumn(),
                live.TextColumn("elapsed,"),
                live.TimeRemainingColumn(),
                live.TextColumn("left"),
                console=rich_console.Console(file=sys.stderr),
                refresh_per_second=4,
                transient=True,
            )
            self._task = self._live.add_task("rendering", total=total, minutes=0.0)
            self._live.start()

    def advance(self, seconds: float) -> None:
        """One more segment done, holding ``seconds`` of audio."""
        self.seconds += seconds
        self.done += 1
        if self._live is not None:
            self._live.update(self._task, advance=1, minutes=self.seconds / 60)

    def close(self, cached: int) -> None:
        """End the stage: stop the live line and print the summary (when every segment that had
        to be rendered was: an interrupted or failed stage says so itself)."""
        if self._live is not None:
            self._live.stop()
        if self.mode is None or not self.total or self.done < self.total:
            return
        elapsed = time.monotonic() - self.started
        sys.stderr.write(
            f"rendered {self.total} segments ({self.seconds / 60:.1f} min of audio) in "
            f"{elapsed:.1f} s ({cached} from cache)\n"
        )
        sys.stderr.flush()
