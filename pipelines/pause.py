"""A test-only hook to stop a run at a named step, so fault tests kill it at exactly that point
(no sleeps). With KINERJA_PAUSE_AT=<step> the process writes its pid to the file named by
KINERJA_PAUSE_READY and waits there until a signal ends it. Unset (always in production) it costs
one environment lookup per step."""

from __future__ import annotations

import os
import signal

PAUSE_ENV = "KINERJA_PAUSE_AT"
READY_ENV = "KINERJA_PAUSE_READY"
STEPS = ("loading", "scoring", "publishing")


def pause_point(step: str) -> None:
    if os.environ.get(PAUSE_ENV) != step:
        return
    ready = os.environ[READY_ENV]
    with open(ready + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.replace(ready + ".tmp", ready)  # the test sees the whole pid or nothing
    while True:
        signal.pause()
