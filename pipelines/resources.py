"""Files that travel with the package: SQL (sql/), rules and source definitions (config/)."""

from __future__ import annotations

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
    """A shipped config file; the rules are read through pipelines.rules_file.rules()."""
    return yaml.safe_load((files("pipelines.config") / name).read_text(encoding="utf-8"))
