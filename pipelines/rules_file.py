"""The scoring rules in force: config/rules.yml as shipped, or a city's own file named by
KINERJA_RULES. Every threshold is read from here (one loader), and the file is checked on load
against the shipped file's structure, so a misspelt or missing key is a usage error naming the
file and the key instead of a KeyError deep inside a run."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from pipelines.errors import UsageError

RULES_ENV = "KINERJA_RULES"
# REGULAR hours by weekday (1 = Monday): every working weekday, and a weekend day when a city works
# it; per unit code, a week of the same shape.
_WEEK, _UNITS = "schedules.regular.default", "schedules.regular.units"


def _shipped():
    return files("pipelines.config") / "rules.yml"


def rules_path() -> str:
    """The rules file in use, as it is named to the operator."""
    chosen = os.environ.get(RULES_ENV)
    return str(Path(chosen).expanduser().resolve()) if chosen else "config/rules.yml"


def _rules_bytes() -> bytes:
    chosen = os.environ.get(RULES_ENV)
    if not chosen:
        return _shipped().read_bytes()
    try:
        return Path(chosen).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"{RULES_ENV}={rules_path()}: cannot read the rules file ({exc.strerror});"
                         f" point {RULES_ENV} at a copy of config/rules.yml, or unset it") from exc


def rules() -> dict:
    """The rules in force, checked (cached per content: the file is re-read, not re-parsed)."""
    return _parsed(_rules_bytes(), rules_path())


def rules_version() -> str:
    """Stamped on every run and published row: the rules file's version and a hash of what
    decides results (the rules file actually used and config/sources.yml), so an edit that forgot
    to bump the version still shows."""
    text = _rules_bytes()
    digest = hashlib.sha256(text)
    digest.update((files("pipelines.config") / "sources.yml").read_bytes())
    return f"rules-v{_parsed(text, rules_path())['version']}-{digest.hexdigest()[:8]}"


@cache
def _reference() -> dict:
    return yaml.safe_load(_shipped().read_text(encoding="utf-8"))


@cache
def _parsed(text: bytes, where: str) -> dict:
    try:
        data = yaml.safe_load(text.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"rules file {where} is not readable YAML: {exc}") from exc
    problem = _problem(data, _reference(), "")
    if problem:
        key, what = problem
        raise UsageError(f"rules file {where}: {key or 'the file'} {what} (compare with config/rules.yml)")
    return data


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, date):
        return "a date (YYYY-MM-DD)"
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "text"


def _problem(value, reference, key: str) -> tuple[str, str] | None:
    """(dotted key, what is wrong) at the first place `value` departs from `reference`'s shape."""
    if key == _WEEK:
        return _week_problem(value, key)
    if key == _UNITS:
        if value is None:
            return None
        if not isinstance(value, dict):
            return key, f"must be a mapping of unit codes to weekly hours, not {_kind(value)}"
        return next(filter(None, (_week_problem(week, f"{key}.{unit}") for unit, week in value.items())), None)
    if isinstance(reference, dict):
        if not isinstance(value, dict):
            return key, f"must be a mapping of {', '.join(map(str, reference))}, not {_kind(value)}"
        for name in reference:
            if name not in value:
                return f"{key}.{name}".lstrip("."), "is missing"
        for name in value:
            if name not in reference:
                return f"{key}.{name}".lstrip("."), f"is not a known key (known: {', '.join(map(str, reference))})"
        for name, ref in reference.items():
            found = _problem(value[name], ref, f"{key}.{name}".lstrip("."))
            if found:
                return found
        return None
    if isinstance(reference, list):
        if not isinstance(value, list):
            return key, f"must be a list, not {_kind(value)}"
        if not reference:
            return None
        for i, item in enumerate(value, start=1):
            found = _item_problem(item, reference, f"{key}[{i}]")
            if found:
                return found
        return None
    if _kind(value) != _kind(reference):
        return key, f"must be {_kind(reference)}, not {_kind(value)} ({value!r})"
    return None


def _item_problem(item, reference: list, key: str) -> tuple[str, str] | None:
    """An item of a list against the shipped list's items: the keys of its first, and for each
    key a kind some shipped item has (the last discipline flag's `to` may be empty)."""
    first = reference[0]
    if not isinstance(first, dict):
        return _problem(item, first, key)
    if not isinstance(item, dict):
        return key, f"must be a mapping of {', '.join(first)}, not {_kind(item)}"
    for name in first:
        if name not in item:
            return f"{key}.{name}", "is missing"
    for name in item:
        if name not in first:
            return f"{key}.{name}", f"is not a known key (known: {', '.join(first)})"
        kinds = {_kind(ref[name]) for ref in reference}
        if _kind(item[name]) not in kinds:
            return f"{key}.{name}", f"must be {' or '.join(sorted(kinds))}, not {_kind(item[name])} ({item[name]!r})"
    return None


def _week_problem(value, key: str) -> tuple[str, str] | None:
    """Hours by weekday: every weekday the shipped week has, any other day 1-7, each with start and end."""
    week = _reference()["schedules"]["regular"]["default"]
    if not isinstance(value, dict):
        return key, f"must be a mapping of weekdays (1 = Monday) to start and end, not {_kind(value)}"
    for day in week:
        if day not in value:
            return f"{key}.{day}", "is missing (the hours of every working weekday)"
    for day, hours in value.items():
        if day not in range(1, 8):
            return f"{key}.{day}", "is not a weekday (1 = Monday ... 7 = Sunday)"
        found = _problem(hours, week[min(week)], f"{key}.{day}")
        if found:
            return found
    return None
