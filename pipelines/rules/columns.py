"""The landing sources and their columns (config/sources.yml), and a file header mapped onto them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines.resources import read_config


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: dict[str, str] | None = None  # accepted spelling -> canonical value
    default: str | None = None
    min: int | None = None
    max: int | None = None
    nip_pattern: str | None = None  # the column whose value (PNS/PPPK) picks the R5 pattern

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Source:
    name: str
    columns: tuple[Column, ...]
    required_for_run: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _column(name: str, spec: dict) -> Column:
    values = spec.get("values")
    if isinstance(values, list):
        values = {v: v for v in values}
    return Column(
        name=name,
        type=spec["type"],
        required=spec.get("required", False),
        aliases=tuple(spec.get("aliases", ())),
        values=values,
        default=spec.get("default"),
        min=spec.get("min"),
        max=spec.get("max"),
        nip_pattern=spec.get("nip_pattern"),
    )


@cache
def sources() -> dict[str, Source]:
    """All sources in the order of config/sources.yml (which is also the order files are read)."""
    config = read_config("sources.yml")["sources"]
    return {
        name: Source(
            name=name,
            columns=tuple(_column(col, spec) for col, spec in body["columns"].items()),
            required_for_run=body.get("required_for_run", False),
        )
        for name, body in config.items()
    }


def normalise_header_name(name: str) -> str:
    """Column names compare with case, spaces, underscores and punctuation folded (contracts
    §2.1): "Waktu Presensi", " waktu_presensi " and "WAKTU-PRESENSI" are waktu_presensi, "AC-No."
    is ac_no."""
    return "_".join(re.findall(r"[^\W_]+", name.lower()))


@dataclass
class HeaderMap:
    """Where each canonical column sits in a file's header (1-based), and what did not fit."""

    positions: dict[str, int] = field(default_factory=dict)
    width: int = 0
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def map_header(source: Source, header: list[str]) -> HeaderMap:
    by_name = {normalise_header_name(alias): col for col in source.columns for alias in col.names}
    result = HeaderMap(width=len(header))
    for index, raw in enumerate(header, start=1):
        name = normalise_header_name(raw)
        col = by_name.get(name)
        if col is None:
            if name:
                result.unknown.append(raw.strip())
            continue
        if col.name in result.positions:
            if col.name not in result.duplicated:
                result.duplicated.append(col.name)
            continue
        result.positions[col.name] = index
    result.missing = [c.name for c in source.columns if c.required and c.name not in result.positions]
    return result
