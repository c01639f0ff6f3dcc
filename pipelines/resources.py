"""Files that travel with the package: SQL (sql/), rules and source definitions (config/)."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import yaml


def sql_dir(*parts: str) -> Traversable:
    node = files("pipelines.sql")
    for part in parts:
        node = node / part
    return node


def read_sql(*parts: str) -> str:
    return sql_dir(*parts).read_text(encoding="utf-8")


@cache
def read_config(name: str) -> dict:
    return yaml.safe_load((files("pipelines.config") / name).read_text(encoding="utf-8"))


def rules_version() -> str:
    """Stamped on every run and published row: the rules file's version and a hash of what
    decides results (config/rules.yml and config/sources.yml), so an edit that forgot to bump
    the version still shows."""
    digest = hashlib.sha256()
    for name in ("rules.yml", "sources.yml"):
        digest.update((files("pipelines.config") / name).read_bytes())
    return f"rules-v{read_config('rules.yml')['version']}-{digest.hexdigest()[:8]}"
