"""Layout profiles (the `layouts:` section of config/sources.yml): exports as fingerprint machines
and HR systems write them, recognised from their header row and read without retyping.

A profile renames the file's columns onto a source's columns and adds spellings of an enum (a
machine log's State `C/In` is IN). A per-day summary profile also turns each row into punches:
one per time column, at the row's date; the staging SQL does that set-based (staging_sql.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from pipelines.resources import read_config
from pipelines.rules.columns import Column, Source, normalise_header_name


@dataclass(frozen=True)
class DayPunches:
    """A per-day summary: the file's date column and its time columns, each a punch direction."""

    date: str
    times: tuple[tuple[str, str], ...]  # (time column, direction)
    datetime_column: str  # the source column a punch's date and time fill
    direction_column: str


@dataclass(frozen=True)
class DayColumns:
    """Where a per-day summary's date and times sit in one file's header (1-based)."""

    date: int
    times: tuple[tuple[str, int], ...]  # (direction, position)
    datetime_column: str
    direction_column: str


@dataclass(frozen=True)
class Layout:
    name: str
    source: str
    example: str  # the header as the export writes it, for messages and the README
    describe: str
    columns: tuple[tuple[str, str], ...]  # (file column, source column)
    values: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # column -> spelling -> value
    ignore: tuple[str, ...] = ()
    day: DayPunches | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The header names that identify the layout: all must be present."""
        day = (self.day.date, *(name for name, _ in self.day.times)) if self.day else ()
        return (*(name for name, _ in self.columns), *day)

    def recognises(self, folded_header: list[str]) -> bool:
        return set(self.names) <= set(folded_header)

    def reading(self, source: Source) -> Source:
        """The source as this layout's files are read: its names as aliases, its spellings as
        values; columns a per-day summary fills are not looked for in the header."""
        aliases = {}
        for name, column in self.columns:
            aliases.setdefault(column, []).append(name)
        produced = {self.day.datetime_column, self.day.direction_column} if self.day else set()
        values = dict(self.values)

        def read(col: Column) -> Column:
            spellings = {**(col.values or {}), **dict(values.get(col.name, ()))} if col.values else None
            return replace(
                col,
                aliases=col.aliases + tuple(aliases.get(col.name, ())),
                values=spellings,
                required=col.required and col.name not in produced,
            )

        return replace(source, columns=tuple(read(c) for c in source.columns))

    def day_columns(self, folded_header: list[str]) -> DayColumns | None:
        if self.day is None:
            return None
        where = {name: i for i, name in reversed(list(enumerate(folded_header, start=1)))}
        return DayColumns(
            where[self.day.date],
            tuple((direction, where[name]) for name, direction in self.day.times),
            self.day.datetime_column, self.day.direction_column,
        )

    def is_known(self, folded_name: str) -> bool:
        """A column the layout expects, read or deliberately ignored."""
        return folded_name in self.names or folded_name in self.ignore


def _fold(names) -> tuple[str, ...]:
    return tuple(normalise_header_name(str(n)) for n in names)


def _layout(name: str, spec: dict) -> Layout:
    day = spec.get("day")
    return Layout(
        name=name,
        source=spec["source"],
        example=spec["example"],
        describe=spec["describe"],
        columns=tuple(zip(_fold(spec.get("columns", {})), spec.get("columns", {}).values())),
        values=tuple(
            (column, tuple((str(k).upper(), v) for k, v in spellings.items()))
            for column, spellings in spec.get("values", {}).items()
        ),
        ignore=_fold(spec.get("ignore", ())),
        day=DayPunches(
            normalise_header_name(day["date"]),
            tuple(zip(_fold(day["times"]), day["times"].values())),
            day["into"]["datetime"], day["into"]["direction"],
        ) if day else None,
    )


@cache
def layouts() -> dict[str, Layout]:
    return {name: _layout(name, spec) for name, spec in read_config("sources.yml").get("layouts", {}).items()}


def layouts_of(source: str) -> list[Layout]:
    return [layout for layout in layouts().values() if layout.source == source]
