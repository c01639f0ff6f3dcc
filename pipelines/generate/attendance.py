"""The e-presensi export: one row per punch, one file per unit (domain-rules R1, R2)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from operator import itemgetter

from pipelines.generate.city import FIELD_OFFICER, SHIFT, UNITS, Unit
from pipelines.generate.people import SHIFTS, Habits, Person
from pipelines.generate.periods import Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, CSV_BOM, DAY, EXCEL_CSV, Extract, Layout

COLUMNS = ("nip", "punched_at", "direction", "device_id", "method")
NO_EXPORT = "KEC_TUGU"  # sends no attendance at all: its coverage must show MISSING downstream
EXPORT_UNTIL = 10 * 3600  # on the 1st of the next month, so the last night shift's check-out is in
OFFICE_START, OFFICE_END, FRIDAY_END = 7 * 3600 + 1800, 16 * 3600, 16 * 3600 + 1800  # R1 REGULAR hours
SINGLE_PUNCH, REPEAT = 0.015, 0.004  # daily chances of a forgotten and of a doubled punch
MANUAL = 0.003  # chance that a punch was entered by hand (no device)

DISHUB = replace(
    EXCEL_CSV.named(nip=" NIP ", punched_at="Waktu_Presensi", direction="Jenis", device_id="ID_Mesin",
                    method="Metode"),
    values={"direction": {"IN": "MASUK", "OUT": "PULANG"}},
)
# The kecamatan machines are older: their export leaves the direction blank.
KECAMATAN = replace(CSV.named(punched_at="waktu", direction="arah", device_id="mesin", method="metode"),
                    values={"direction": {"IN": None, "OUT": None}})
LAYOUTS = {"DISHUB": DISHUB, "DINKES": CSV_BOM, "BAPPEDA": CSV_BOM}


def _layout(unit: Unit) -> Layout:
    return KECAMATAN if unit.kecamatan else LAYOUTS.get(unit.code, CSV)


def attendance(world: World, month: Month) -> list[Extract]:
    rng = world.rng(month, "attendance")
    off = world.days_off(month)
    workdays = world.calendar.workdays(month.first, month.last)
    active = world.active(month)
    rows: dict[str, list[tuple]] = {u.code: [] for u in UNITS if u.code != NO_EXPORT}
    for p in active:
        if p.unit.code == NO_EXPORT:
            continue
        device, method = _device(p)
        out = rows[p.unit.code]
        for at, direction in _punches(rng, p, month, workdays, off.get(p.nip, set())):
            out.append((p.nip, at, direction, *((None, "MANUAL") if rng.random() < MANUAL else (device, method))))
    # Night shifts across a month boundary: the export runs to 10:00 on the 1st, so the shift that
    # starts on the last day is in this month's file and its check-out in the next month's as well.
    present = {p.nip for p in active if p.unit.code != NO_EXPORT}
    end = (month.last.day * DAY) + EXPORT_UNTIL
    for day in (month.first - timedelta(days=1), month.last):
        base = (day - month.first).days * DAY
        for p, at, direction in _night_shift(world, day):
            if p.nip in present and 0 <= base + at < end:
                rows[p.unit.code].append((p.nip, base + at, direction, *_device(p)))
    return [Extract("attendance", f"presensi_{unit.code.lower()}", _layout(unit), month, COLUMNS,
                    sorted(rows[unit.code], key=itemgetter(1, 0)))
            for unit in UNITS if unit.code != NO_EXPORT]


def _punches(rng: random.Random, p: Person, month: Month, workdays: list[date], off: set[date]):
    """(seconds from the month's start, direction) of one employee's month, leave days excluded."""
    if p.schedule == SHIFT:
        for n, day in enumerate(month.days()):
            code = p.shift_on(day)
            if code is None or day in off or (code == "M" and day == month.last):
                continue
            start, end = SHIFTS[code]
            for at, direction in _day(rng, p.habits, start, end, early=30 * 60):
                yield n * DAY + at, direction
        return
    for day in workdays:
        if day in off or not p.active_on(day):
            continue
        base = (day - month.first).days * DAY
        end = FRIDAY_END if day.weekday() == 4 else OFFICE_END
        for at, direction in _day(rng, p.habits, OFFICE_START, end, early=40 * 60):
            yield base + at, direction


def _night_shift(world: World, day: date) -> list[tuple[Person, int, str]]:
    """Punches of the night shift starting on `day`, from a stream of its own so that the two
    months' exports agree on the check-out."""
    rng = random.Random(f"{world.seed}:night:{day.isoformat()}")
    on_leave = {x.person.nip for x in world.leave if x.date_from <= day <= x.date_to}
    start, end = SHIFTS["M"]
    return [(p, at, direction)
            for p in world.staff if p.shift_on(day) == "M" and p.nip not in on_leave
            for at, direction in _day(rng, p.habits, start, end, early=30 * 60)]


def _day(rng: random.Random, habits: Habits, start: int, end: int, early: int) -> list[tuple[int, str]]:
    """One working day's punches around start/end (seconds from midnight); none when absent."""
    chance = rng.random
    if chance() < habits.absent:
        return []
    if chance() < habits.late:
        check_in = start + 60 * _minutes(rng) + rng.randrange(60)
    else:
        check_in = start - rng.randrange(early)  # up to :59 past the start is still on time
    if chance() < habits.early:
        check_out = end - 60 * _minutes(rng) - rng.randrange(60)
    else:
        check_out = end + rng.randrange(25 * 60)
    punches = [(check_in, "IN"), (check_out, "OUT")]
    draw = chance()
    if draw < SINGLE_PUNCH:
        return [punches[draw < SINGLE_PUNCH / 2]]  # forgot to punch in or out
    if draw < SINGLE_PUNCH + REPEAT:
        punches.append(punches[0])  # pressed twice: an identical punch
    return punches


def _minutes(rng: random.Random) -> int:
    """Minutes late or early: mostly a few, rarely up to two hours."""
    return 1 + min(119, int(rng.expovariate(1 / 15)))


def _device(p: Person) -> tuple[str, str]:
    if p.role == FIELD_OFFICER and p.schedule != SHIFT:
        return "E-PRESENSI-MOBILE", "MOBILE"
    kind, method = ("FACE", "FACE") if p.unit.code == "RSUD" else ("FP", "FINGERPRINT")
    return f"{p.unit.code}-{kind}{int(p.nip[-3:]) % 3 + 1:02d}", method
