"""Progress bars on a terminal (rich), silence with ``--quiet`` or when not a TTY."""

from __future__ import annotations

import sys
from typing import Any


class _Task:
    def __init__(self, progress: Any, task_id: Any) -> None:
        self._progress, self._id = progress, task_id

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._id, n)

    def done(self) -> None:
        if self._progress is not None:
            self._progress.update(self._id, completed=self._progress.tasks[self._id].total or 0)


class Progress:
    """A thin wrapper so stages report progress without knowing whether anyone watches."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self._rich: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(TextColumn("{task.description:>12}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=False)
            self._rich.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc)
            self._rich = None

    def task(self, name: str, total: int | None) -> _Task:
        if self._rich is None:
            return _Task(None, None)
        return _Task(self._rich, self._rich.add_task(name, total=total))


QUIET = Progress(enabled=False)
