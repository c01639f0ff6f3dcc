"""Independent work of a run (loading the sources, evaluating their suites) on several connections
at once. Each statement runs in one server process, so a second connection keeps a second core
busy; more pay only on a server with more cores (KINERJA_WORKERS)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

import psycopg2

from pipelines.errors import UsageError
from pipelines.warehouse import connect

WORKERS_ENV = "KINERJA_WORKERS"

Item = TypeVar("Item")
Result = TypeVar("Result")


def workers() -> int:
    """How many connections a run's independent work uses at once (KINERJA_WORKERS, default 2)."""
    value = os.environ.get(WORKERS_ENV, "2")
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"{WORKERS_ENV}={value!r}: give a whole number of connections, 1 or more")
    return int(value)


class Connections:
    """One connection per worker thread, opened when the thread first asks."""

    def __init__(self, url: str | None) -> None:
        self._url, self._local, self._opened = url, threading.local(), []

    def get(self):
        if not hasattr(self._local, "conn"):
            self._local.conn = connect(self._url)
            self._opened.append(self._local.conn)
        return self._local.conn

    def cancel(self) -> None:
        """Cancel the statements running on every connection (their transactions roll back)."""
        for conn in list(self._opened):
            try:
                conn.cancel()
            except psycopg2.InterfaceError:
                pass  # closed already

    def close(self) -> None:
        for conn in self._opened:
            conn.close()


def each_on_connections(
    url: str | None, items: Iterable[Item], work: Callable[[object, Item], Result], count: int
) -> list[Result]:
    """work(connection, item) for every item, `count` at once, in the order given (put the
    largest first); the results in that order. The first failure (or an interrupt) cancels what
    is running, starts nothing more and is raised."""
    connections = Connections(url)
    pool = ThreadPoolExecutor(count, thread_name_prefix="kinerja")
    try:
        futures = [pool.submit(lambda item=item: work(connections.get(), item)) for item in items]
        return [future.result() for future in futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        connections.cancel()
        raise
    finally:
        pool.shutdown(wait=True)
        connections.close()
