"""Shared fixtures: a real embedded PostgreSQL for the whole session, a fresh database per test."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import psycopg2
import pytest

from pipelines import warehouse


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory) -> str:
    """The embedded server's URL (its maintenance database); started once, stopped at exit."""
    configured = os.environ.get("KINERJA_TEST_SERVER_URL")
    if configured:
        return configured
    return warehouse.embedded_url(tmp_path_factory.mktemp("pg") / "data")


@pytest.fixture
def warehouse_url(pg_server_url, monkeypatch) -> str:
    """A new, migrated database for one test; KINERJA_WAREHOUSE_URL points at it."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"create database {name}")
    admin.close()
    url = _with_database(pg_server_url, name)
    with warehouse.connection(url) as conn:
        warehouse.migrate(conn)
    monkeypatch.setenv(warehouse.URL_ENV, url)
    yield url
    admin = psycopg2.connect(pg_server_url)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"drop database if exists {name} with (force)")
    admin.close()


def _with_database(url: str, name: str) -> str:
    """The same server URL naming another database (pgserver URLs carry the socket as ?host=)."""
    base, _, query = url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + name
    return f"{base}?{query}" if query else base


@pytest.fixture
def db(warehouse_url):
    with warehouse.connection(warehouse_url) as conn:
        yield conn


@pytest.fixture
def landing(tmp_path) -> Path:
    root = tmp_path / "landing"
    root.mkdir()
    return root
