"""Public service extracts: catalog, tickets and SKM survey answers (domain-rules R8, R9)."""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import replace
from datetime import date
from itertools import accumulate

from pipelines.generate.city import SERVICE_COUNTER, SERVICES, Unit
from pipelines.generate.people import Person
from pipelines.generate.periods import Calendar, Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, CSV_BOM, DAY, EXCEL_CSV, XLSX, Extract

CATALOG_COLUMNS = ("service_code", "service_name", "sla_working_days")
TICKET_COLUMNS = ("ticket_id", "unit_code", "service_code", "officer_nip", "received_at", "completed_at", "status")
ANSWERS = tuple(f"u{n}" for n in range(1, 10))
SURVEY_COLUMNS = ("response_id", "ticket_id", "submitted_at", *ANSWERS)
GROUPS = ("disdukcapil", "kecamatan", "mpp")  # one file of each source per service department
CATALOG_FILES = {
    "disdukcapil": XLSX.named(service_code="Kode_Layanan", service_name="Nama_Layanan",
                              sla_working_days="Standar_Hari_Kerja"),
    "kecamatan": EXCEL_CSV.named(service_code="kode_layanan", service_name="nama_layanan",
                                 sla_working_days="standar_hari_kerja"),
    "mpp": CSV,
}
TICKET_FILES = {
    "disdukcapil": CSV,
    "kecamatan": EXCEL_CSV.named(ticket_id="no_tiket", unit_code="kode_unit", service_code="kode_layanan",
                                 officer_nip="nip_petugas", received_at="waktu_berkas_lengkap",
                                 completed_at="waktu_selesai", status="Status"),
    "mpp": CSV_BOM,
}
SURVEY_FILES = {
    "disdukcapil": CSV,
    "kecamatan": replace(EXCEL_CSV, headers={"response_id": "Response_ID", "ticket_id": "No_Tiket",
                                             "submitted_at": "Waktu", **{u: u.upper() for u in ANSWERS}}),
    "mpp": CSV_BOM,
}
REJECTED, CANCELLED, OPEN = 0.04, 0.02, 0.03  # DITOLAK, BATAL, PROSES per completed ticket
SURVEYED, UNANSWERED = 0.4, 0.02  # share of completed tickets with an SKM response; skipped questions


def _group(unit: Unit) -> str:
    return "kecamatan" if unit.kecamatan else unit.code.lower()


def catalog(world: World, month: Month) -> list[Extract]:
    return [
        Extract("service_catalog", f"layanan_{group}", CATALOG_FILES[group], month, CATALOG_COLUMNS,
                [(s.code, s.name, s.sla_working_days) for s in sorted(SERVICES.values(), key=lambda s: s.code)
                 if s.catalog == group])
        for group in GROUPS
    ]


def tickets_and_surveys(world: World, month: Month) -> list[Extract]:
    rng = world.rng(month, "services")
    workdays = world.calendar.workdays(month.first, month.last)
    off = world.days_off(month)
    officers = {p.nip: p for p in world.active(month) if p.role == SERVICE_COUNTER}
    work: dict[str, list[tuple]] = {group: [] for group in GROUPS}
    for p in officers.values():
        days = [d for d in workdays if p.active_on(d) and d not in off.get(p.nip, ())]
        if days:
            work[_group(p.unit)] += _officer_tickets(rng, p, month, days, world.calendar)
    extracts = []
    for group in GROUPS:
        tickets = _numbered(work[group], month)
        surveys = _surveys(rng, tickets, officers, month)
        extracts.append(Extract("service_tickets", f"tiket_{group}", TICKET_FILES[group], month, TICKET_COLUMNS,
                                tickets))
        extracts.append(Extract("service_surveys", f"skm_{group}", SURVEY_FILES[group], month, SURVEY_COLUMNS,
                                surveys))
    return extracts


def _officer_tickets(rng: random.Random, p: Person, month: Month, days: list[date], calendar: Calendar) -> list:
    """(unit, service, officer, received, completed, status) of one counter officer's month."""
    codes = [code for code, _ in p.unit.services]
    demand = list(accumulate(weight for _, weight in p.unit.services))
    full_month = len(calendar.workdays(month.first, month.last))
    done = round(rng.randint(30, 80) * len(days) / full_month)
    unit, tickets = p.unit.code, []
    for _ in range(done):
        service = SERVICES[rng.choices(codes, cum_weights=demand)[0]]
        day, sla = rng.choice(days), service.sla_working_days
        # Working days taken (R9): within the SLA as often as the officer manages, else 1-3 over.
        if rng.random() < p.sla_skill:
            taken = min(rng.randint(0, sla), rng.randint(0, sla))
        else:
            taken = sla + rng.randint(1, 3)
        completed = _at(month, day) + rng.randint(8 * 3600, 15 * 3600 + 1800)
        if taken:
            received = _at(month, calendar.before(day, taken)) + rng.randint(7 * 3600 + 1800, 15 * 3600)
        else:
            received = completed - rng.randint(600, min(3 * 3600, completed % DAY - 7 * 3600 - 1800))
        tickets.append((unit, service.code, p.nip, received, completed, "SELESAI"))
    for _ in range(round(done * REJECTED)):
        completed = _at(month, rng.choice(days)) + rng.randint(9 * 3600, 15 * 3600)
        tickets.append((unit, rng.choices(codes, cum_weights=demand)[0], p.nip,
                        completed - rng.randint(300, 3600), completed, "DITOLAK"))
    for _ in range(round(done * CANCELLED)):
        received = _at(month, rng.choice(days)) + rng.randint(8 * 3600, 15 * 3600)
        tickets.append((unit, rng.choices(codes, cum_weights=demand)[0], None, received, None, "BATAL"))
    for _ in range(round(done * OPEN)):
        received = _at(month, rng.choice(days[-5:])) + rng.randint(8 * 3600, 15 * 3600)
        tickets.append((unit, rng.choices(codes, cum_weights=demand)[0], p.nip, received, None, "PROSES"))
    return tickets


def _numbered(work: list[tuple], month: Month) -> list[tuple]:
    """Ticket rows in time order, numbered per unit and month."""
    work.sort(key=lambda t: (t[4] if t[4] is not None else t[3], t[0], t[2] or ""))
    seq: dict[str, int] = {}
    rows = []
    for unit, *rest in work:
        seq[unit] = seq.get(unit, 0) + 1
        rows.append((f"{unit}-{month.tag}-{seq[unit]:06d}", unit, *rest))
    return rows


def _surveys(rng: random.Random, tickets: list[tuple], officers: dict[str, Person], month: Month) -> list[tuple]:
    """SKM answers (1-4) shortly after completion, for some completed tickets, in the same month."""
    end = month.last.day * DAY
    answered = []
    for ticket_id, unit, _, nip, _, completed, status in tickets:
        if status != "SELESAI" or rng.random() >= SURVEYED:
            continue
        submitted = completed + rng.randint(180, 3 * 3600)
        if submitted < end:
            answered.append((submitted, unit, ticket_id, _answers(rng, officers[nip])))
    answered.sort()
    seq: dict[str, int] = {}
    rows = []
    for submitted, unit, ticket_id, answers in answered:
        seq[unit] = seq.get(unit, 0) + 1
        rows.append((f"SKM-{unit}-{month.tag}-{seq[unit]:06d}", ticket_id, submitted, *answers))
    return rows


def _answers(rng: random.Random, officer: Person) -> list[int | None]:
    # Cumulative chances of answering 1, 2, 3: from IKM ~75 (rating 0) to ~89 (rating 1).
    worse = 1 - officer.rating
    usual = (0.01 + 0.03 * worse, 0.04 + 0.18 * worse, 0.39 + 0.33 * worse)
    curt = (0.05, 0.35, 0.90)  # u6 competence and u7 courtesy of officers citizens find curt
    values = []
    for n in range(1, 10):
        if rng.random() < UNANSWERED:
            values.append(None)
        else:
            cumulative = curt if officer.curt and n in (6, 7) else usual
            values.append(bisect(cumulative, rng.random()) + 1)
    return values


def _at(month: Month, day: date) -> int:
    """Seconds from the month's start to the day's midnight (negative for earlier months)."""
    return (day - month.first).days * DAY

