"""Dishub's extracts: officers' area assignments and traffic violations per area (domain-rules R10)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from pipelines.generate.city import AREAS, FIELD_OFFICER, SHIFT
from pipelines.generate.people import SHIFTS, Person
from pipelines.generate.periods import Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, CSV_BOM, DAY, XLSX, Extract

VIOLATION_COLUMNS = ("violation_id", "area_code", "occurred_at", "violation_type", "detected_by", "action",
                     "officer_nip")
ASSIGNMENT_COLUMNS = ("nip", "area_code", "date_from", "date_to")
FIELD_REPORTS = CSV_BOM.named(area_code="kode_wilayah", occurred_at="waktu", violation_type="jenis_pelanggaran",
                              detected_by="sumber", action="tindakan", officer_nip="nip_petugas")
ASSIGNMENTS = XLSX.named(nip="NIP", area_code="Kode_Wilayah", date_from="Date_From", date_to="Date_To")
# What each kind of detection records, with relative frequencies.
CAMERA_TYPES = (("MELANGGAR_LAMPU_MERAH", 30), ("MELANGGAR_MARKA", 25), ("BERHENTI_SEMBARANGAN", 20),
                ("MELAWAN_ARUS", 15), ("PARKIR_LIAR", 10))
REPORT_TYPES = (("PARKIR_LIAR", 55), ("BERHENTI_SEMBARANGAN", 20), ("ANGKUTAN_TANPA_IZIN", 15),
                ("MUATAN_BERLEBIH", 10))
REPORT_ACTIONS = (("NONE", 40), ("TEGURAN", 40), ("STIKER", 20))
PATROL_TYPES = (("PARKIR_LIAR", 60), ("BERHENTI_SEMBARANGAN", 25), ("MUATAN_BERLEBIH", 15))
PATROL_ACTIONS = {"PARKIR_LIAR": (("GEMBOK", 40), ("STIKER", 25), ("TEGURAN", 20), ("DEREK", 15))}
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 5, 9, 10, 8, 7, 7, 8, 8, 7, 8, 10, 11, 9, 6, 4, 3, 2, 1)
PATROLS_PER_DAY = 1.2


def traffic(world: World, month: Month) -> list[Extract]:
    assignments = _assignments(world, month)
    camera = _detections(world, month, "CAMERA")
    field = sorted(_detections(world, month, "REPORT") + _patrols(world, month, assignments), key=_when)
    return [
        Extract("traffic_violations", "etle_kamera", CSV, month, VIOLATION_COLUMNS,
                _numbered(f"ETLE-{month.tag}", sorted(camera, key=_when))),
        Extract("traffic_violations", "laporan_patroli", FIELD_REPORTS, month, VIOLATION_COLUMNS,
                _numbered(f"DSH-{month.tag}", field)),
        Extract("area_assignments", "penugasan_dishub", ASSIGNMENTS, month, ASSIGNMENT_COLUMNS,
                [(p.nip, area, start, end) for p, area, start, end in assignments]),
    ]


def _when(row: tuple) -> tuple:
    return row[1], row[0], row[2]


def _numbered(prefix: str, rows: list[tuple]) -> list[tuple]:
    return [(f"{prefix}-{n:06d}", *row) for n, row in enumerate(rows, 1)]


def _trends(seed: int) -> dict[str, float]:
    """Monthly change per area, -15 % to +15 %, so some areas improve and some get worse."""
    steps = [-0.15 + 0.3 * n / (len(AREAS) - 1) for n in range(len(AREAS))]
    random.Random(f"{seed}:areas").shuffle(steps)
    return {area.code: step for area, step in zip(AREAS, steps)}


def _detections(world: World, month: Month, kind: str) -> list[tuple]:
    """CAMERA or REPORT rows: (area, occurred, type, kind, action, officer), area rates moving by trend."""
    rng = world.rng(month, f"traffic-{kind}")
    trends = _trends(world.seed)
    types = CAMERA_TYPES if kind == "CAMERA" else REPORT_TYPES
    rows = []
    for area in AREAS:
        per_day = area.camera_per_day if kind == "CAMERA" else area.reports_per_day
        if not per_day:
            continue
        per_day *= max(0.3, 1 + trends[area.code] * world.index(month)) * rng.uniform(0.92, 1.08)
        for n, day in enumerate(month.days()):
            for _ in range(_count(rng, per_day * (0.8 if day.weekday() >= 5 else 1.0))):
                hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
                action = None if kind == "CAMERA" else _pick(rng, REPORT_ACTIONS)
                rows.append((area.code, n * DAY + hour * 3600 + rng.randrange(3600), _pick(rng, types), kind,
                             action, None))
    return rows


def _assignments(world: World, month: Month) -> list[tuple[Person, str, date, date]]:
    """Each field officer covers the home area for (most of) the month; some move mid-month."""
    rng = world.rng(month, "assignments")
    rows = []
    for p in world.active(month):
        if p.role != FIELD_OFFICER:
            continue
        start = max(month.first, p.active_from)
        end = min(month.last, p.active_to or month.last)
        if rng.random() < 0.1:
            start = min(end, start + timedelta(days=rng.randint(1, 4)))  # briefing elsewhere first
        if (end - start).days >= 20 and rng.random() < 0.15:
            move = start + timedelta(days=rng.randint(10, (end - start).days - 5))
            other = rng.choice([a.code for a in AREAS if a.code != p.area])
            rows += [(p, p.area, start, move - timedelta(days=1)), (p, other, move, end)]
        else:
            rows.append((p, p.area, start, end))
    return rows


def _patrols(world: World, month: Month, assignments: list[tuple[Person, str, date, date]]) -> list[tuple]:
    """The officers' own enforcement records (PATROL), during their working hours in their area."""
    rng = world.rng(month, "traffic-PATROL")
    off = world.days_off(month)
    rows = []
    for p, area, start, end in assignments:
        day = start
        while day <= end:
            window = _on_duty(world, p, day)
            if window and day not in off.get(p.nip, ()):
                base = (day - month.first).days * DAY
                for _ in range(_count(rng, PATROLS_PER_DAY)):
                    kind = _pick(rng, PATROL_TYPES)
                    action = _pick(rng, PATROL_ACTIONS[kind]) if kind in PATROL_ACTIONS else "TEGURAN"
                    rows.append((area, base + rng.randint(*window), kind, "PATROL", action, p.nip))
            day += timedelta(days=1)
    return rows


def _on_duty(world: World, p: Person, day: date) -> tuple[int, int] | None:
    """Seconds of the day the officer can be out on patrol (same calendar day), or None."""
    if p.schedule == SHIFT:
        code = p.shift_on(day)
        if code is None:
            return None
        start, end = SHIFTS[code]
        return start + 600, min(end, DAY) - 600
    return (8 * 3600, 15 * 3600 + 1800) if world.calendar.is_workday(day) else None


def _count(rng: random.Random, mean: float) -> int:
    """A Poisson-like daily count (normal approximation, never negative)."""
    return max(0, round(rng.gauss(mean, mean ** 0.5)))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]
