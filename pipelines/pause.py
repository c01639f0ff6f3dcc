"""A test-only hook to stop a run at a named step, so fault tests act at exactly that point (no
sleeps). With KINERJA_PAUSE_AT=<step> the process writes its pid to the file named by
KINERJA_PAUSE_READY and waits there: SIGUSR1 lets it go on, any other signal acts as usual
(kill -9, SIGTERM, SIGINT). Unset (always in production) it costs one environment lookup."""

from __future__ import annotations

import os
import signal
import time

PAUSE_ENV = "KINERJA_PAUSE_AT"
READY_ENV = "KINERJA_PAUSE_READY"


def pause_point(step: str) -> None:
    if os.environ.get(PAUSE_ENV) != step:
        return
    resumed = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: resumed.append(True))
    ready = os.environ[READY_ENV]
    with open(ready + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.replace(ready + ".tmp", ready)  # the test sees the whole pid or nothing
    while not resumed:
        time.sleep(0.05)  # signal handlers (SIGTERM, SIGINT) run in here
    signal.signal(signal.SIGUSR1, previous)
