"""Wall time of each step of a run, for `make bench`: appended to the file KINERJA_TIMINGS names
(one `step<TAB>seconds` line per step), and nothing at all when it is unset."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

TIMINGS_ENV = "KINERJA_TIMINGS"


@contextmanager
def step(name: str) -> Iterator[None]:
    path = os.environ.get(TIMINGS_ENV)
    if not path:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}\t{time.perf_counter() - start:.3f}\n")
