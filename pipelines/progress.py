"""Progress of long work (run, backfill, export, report): on a terminal a live line on stderr
(tqdm) that disappears when done; otherwise nothing on the screen and one log line per step, so an
Airflow task log or a cron mail shows where the work is without a bar's control characters."""

from __future__ import annotations

import logging
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

log = logging.getLogger("kinerja.progress")


class Progress:
    def __init__(self, what: str, total: int | None, stream: TextIO | None = None):
        self.what, self.total, self.done = what, total, 0
        stream = stream or sys.stderr
        self._bar = None
        if stream.isatty():
            from tqdm import tqdm

            # Steps are coarse (a file, a unit, a period): redraw at each one (mininterval 0).
            self._bar = tqdm(total=total, desc=what, file=stream, leave=False, dynamic_ncols=True, mininterval=0,
                             bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {elapsed} {postfix}")

    def step(self, text: str) -> None:
        """One step is done: `text` says which."""
        self.done += 1
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)
            self._bar.update()
        else:
            log.info("%s %d/%s: %s", self.what, self.done, self.total if self.total is not None else "?", text)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


@contextmanager
def progress(what: str, total: int | None, stream: TextIO | None = None) -> Iterator[Progress]:
    bar = Progress(what, total, stream)
    try:
        yield bar
    finally:
        bar.close()
