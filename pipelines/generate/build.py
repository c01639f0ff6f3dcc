"""`kinerja generate`: write K months of department extracts into a landing tree (contracts §2)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import UsageError
from pipelines.generate import attendance, faults as bad_input, hr, services, skp, traffic
from pipelines.generate.periods import Month
from pipelines.generate.world import World, build_world
from pipelines.generate.writers import Extract, write

MIN_EMPLOYEES = 100  # below this some units are too small for every file variant and fault


@dataclass(frozen=True)
class GenerateSummary:
    out: Path
    periods: tuple[str, ...]
    files: dict[str, int]  # per source, over all months
    rows: dict[str, int]  # data rows per source, over all months
    faults: int  # entries in the faults manifest (0 without faults)
    manifest: Path | None

    def __str__(self) -> str:
        lines = [f"wrote {', '.join(self.periods)} into {self.out}"]
        lines += [f"  {source:<20} {count:>4} files {self.rows[source]:>10,} rows"
                  for source, count in self.files.items()]
        if self.manifest is not None:
            lines.append(f"  {self.faults} planted faults listed in {self.manifest}")
        return "\n".join(lines)


def generate(period: str, out: Path, *, months: int = 1, employees: int = 600, seed: int = 1,
             faults: bool = False) -> GenerateSummary:
    """Write `months` consecutive months ending at `period`; same arguments, same bytes."""
    last = Month.parse(period)
    if months < 1:
        raise UsageError(f"months must be at least 1, got {months}")
    if employees < MIN_EMPLOYEES:
        raise UsageError(f"employees must be at least {MIN_EMPLOYEES}, got {employees}")
    window = [last.shift(n - months + 1) for n in range(months)]
    out = Path(out)
    for month in window:
        folder = out / month.label
        if folder.exists() and any(folder.iterdir()):
            raise UsageError(f"{folder} is not empty; generate into a new landing folder")
    world = build_world(seed, window, employees)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, int] = {}
    rows: dict[str, int] = {}
    manifest, planted = None, 0
    for month in window:
        extracts = _extracts(world, month)
        if faults and month == last:
            entries = bad_input.plant(world, month, extracts, out / month.label)
            manifest, planted = out / f"faults-{month.label}.json", len(entries)
            manifest.write_text(json.dumps(entries, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for extract in extracts:
            write(extract, out / month.label)
            files[extract.source] = files.get(extract.source, 0) + 1
            rows[extract.source] = rows.get(extract.source, 0) + len(extract.rows)
    return GenerateSummary(out, tuple(m.label for m in window), files, rows, planted, manifest)


def _extracts(world: World, month: Month) -> list[Extract]:
    return [
        *hr.employees(world, month),
        *hr.leave(world, month),
        *hr.rosters(world, month),
        *hr.holidays(world, month),
        *attendance.attendance(world, month),
        *services.catalog(world, month),
        *services.tickets_and_surveys(world, month),
        *traffic.traffic(world, month),
        *skp.skp_ratings(world, month),
        *hr.tpp_base(world, month),
    ]
