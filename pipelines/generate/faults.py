"""Bad input planted on purpose (faults=True): every rule of domain-rules R13 and contracts §2.1.

Only in the last month, each fault in a place of its own. Faulty rows are extra rows (copies of
real ones with one value spoiled, or new tickets and answers) and file-level faults are extra
files, so the month's real data stays whole and every other row still loads. Row faults sit in
large files so a file stays far below the 5 % rejection limit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from pipelines.generate import traffic
from pipelines.generate.periods import Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, DAY, Extract

UNKNOWN_FOLDER = "foto_kegiatan"
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# Latin-1 writes U+0081 and U+008D as the bare bytes 0x81 0x8D: undefined in Windows-1252 and
# invalid in UTF-8, so the file cannot be decoded at all.
UNDECODABLE = replace(CSV, encoding="latin-1")
PAPER_SURVEYS = 40  # typed-in paper answers, a quarter of them with words for numbers
FRESH = 990_000  # numbers above any real ticket, answer or violation of a month


@dataclass
class _Fault:
    extract: Extract
    row: tuple | None  # the planted row itself (found again by identity once all rows are in)
    column: str | None
    rule: str
    note: str


class _Planter:
    def __init__(self, world: World, month: Month, extracts: list[Extract]):
        self.world, self.month, self.extracts = world, month, extracts
        self.rng = world.rng(month, "faults")
        self.faults: list[_Fault] = []
        self._fresh = FRESH

    def file(self, source: str, name: str) -> Extract:
        return next(x for x in self.extracts if x.source == source and x.name == name)

    def fresh(self) -> int:
        self._fresh += 1
        return self._fresh

    def real(self, extract: Extract) -> list[tuple]:
        """The file's own rows, without those planted (so no row carries two faults)."""
        planted = {id(f.row) for f in self.faults}
        return [r for r in extract.rows if id(r) not in planted]

    def sample(self, extract: Extract) -> tuple:
        return self.rng.choice(self.real(extract))

    def spoil(self, extract: Extract, row: tuple, column: str | None, rule: str, note: str,
              **values: Any) -> tuple:
        """Insert `row`, as the file shows it, with some cells replaced, at a random place."""
        cells = extract.render(row)
        for name, value in values.items():
            cells[extract.col(name)] = value
        return self.insert(extract, tuple(cells), column, rule, note)

    def insert(self, extract: Extract, row: tuple, column: str | None, rule: str, note: str,
               after: tuple | None = None) -> tuple:
        low = 1 if after is None else next(i for i, r in enumerate(extract.rows) if r is after) + 1
        extract.rows.insert(self.rng.randint(low, len(extract.rows)), row)
        self.faults.append(_Fault(extract, row, column, rule, note))
        return row

    def add_file(self, extract: Extract, column: str | None, rule: str, note: str) -> None:
        self.extracts.append(extract)
        self.faults.append(_Fault(extract, None, column, rule, note))

    def manifest(self) -> list[dict[str, Any]]:
        entries = []
        for f in self.faults:
            row = None if f.row is None else next(i for i, r in enumerate(f.extract.rows) if r is f.row) + 2
            entries.append({"source": f.extract.source, "file": f.extract.file_name, "row": row,
                            "column": f.column, "rule": f.rule, "note": f.note})
        return entries


def plant(world: World, month: Month, extracts: list[Extract], period_dir: Path) -> list[dict[str, Any]]:
    """Spoil the month's extracts in place; returns the manifest entries (spreadsheet row numbers)."""
    planter = _Planter(world, month, extracts)
    _file_faults(planter)
    _nip_and_format_faults(planter)
    _ticket_faults(planter)
    _survey_faults(planter)
    _violation_faults(planter)
    _skp_faults(planter)
    (period_dir / UNKNOWN_FOLDER).mkdir(parents=True, exist_ok=True)
    (period_dir / UNKNOWN_FOLDER / "apel_pagi.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a data file \xff\xd9")
    entries = planter.manifest()
    entries.append({"source": UNKNOWN_FOLDER, "file": None, "row": None, "column": None,
                    "rule": "NOTICE_UNKNOWN_FOLDER", "note": "photos saved into the period folder; not a source"})
    return sorted(entries, key=lambda e: (e["source"], e["file"] or "", e["row"] or 0))


def _file_faults(p: _Planter) -> None:
    month = p.month

    def copies(name: str) -> list[tuple]:
        return p.file("attendance", name).rows[:30]

    rows = [(nip, at, d, "MESIN\x81\x8d", m) for nip, at, d, _, m in copies("presensi_dinkes")]
    p.add_file(Extract("attendance", "presensi_dinkes_mesin_rusak", UNDECODABLE, month,
                       ("nip", "punched_at", "direction", "device_id", "method"), rows),
               None, "FILE_ENCODING", "bytes 0x81 0x8D in device_id: neither UTF-8 nor Windows-1252")
    rows = [(nip, d, dev, m) for nip, _, d, dev, m in copies("presensi_bappeda")]
    p.add_file(Extract("attendance", "presensi_bappeda_susulan", CSV, month,
                       ("nip", "direction", "device_id", "method"), rows),
               "punched_at", "FILE_MISSING_COLUMN", "no punched_at/waktu column")
    rows = [(*row, row[0]) for row in copies("presensi_dpu")]
    p.add_file(Extract("attendance", "presensi_dpu_mesin2", CSV, month,
                       ("nip", "punched_at", "direction", "device_id", "method", " NIP "), rows),
               "nip", "FILE_DUPLICATE_COLUMN", "header has 'nip' and ' NIP '")
    empty = p.file("leave", "dinas_luar")
    p.add_file(replace(empty, name="cuti_susulan", rows=[]), None, "FILE_EMPTY", "header only, no data rows")
    # Dishub sends last month's field report file again.
    previous = month.shift(-1)
    resent = next(x for x in traffic.traffic(p.world, previous) if x.name == "laporan_patroli")
    p.add_file(replace(resent, name=f"laporan_patroli_{previous.tag}"), "occurred_at", "FILE_WRONG_PERIOD",
               f"every row is dated in {previous.label}")
    _paper_surveys(p)


def _paper_surveys(p: _Planter) -> None:
    """Paper SKM forms typed in: one row in four has an answer written as a word (> 5 % rejected)."""
    answers = p.file("service_surveys", "skm_disdukcapil")
    tickets = _unsurveyed(p)[:PAPER_SURVEYS]
    rows = []
    for n, (ticket_id, completed) in enumerate(tickets, 1):
        values = [p.rng.randint(3, 4) for _ in range(9)]
        if n % 4 == 0:
            values[p.rng.randrange(9)] = p.rng.choice(("empat", "tiga", "dua"))
        rows.append((f"SKM-KERTAS-{p.month.tag}-{n:04d}", ticket_id, completed + 3600, *values))
    p.add_file(replace(answers, name="skm_disdukcapil_kertas", rows=rows), None, "FILE_TOO_MANY_REJECTED",
               f"{len(rows) // 4} of {len(rows)} rows have an answer written as a word")


def _nip_and_format_faults(p: _Planter) -> None:
    dishub = p.file("attendance", "presensi_dishub")
    row = p.sample(dishub)
    number = f"{int(row[0]):.5E}"
    p.spoil(dishub, row, "nip", "NIP_AS_NUMBER", f"NIP {number}: Excel turned it into a number", nip=number)

    dukcapil = p.file("attendance", "presensi_disdukcapil")
    row = p.sample(dukcapil)
    p.spoil(dukcapil, row, "nip", "NIP_LENGTH", "17 digits: last digit missing", nip=row[0][:-1])
    stranger = _valid_unknown_nip(p.world, p.rng)
    p.spoil(dukcapil, p.sample(dukcapil), "nip", "UNKNOWN_EMPLOYEE", f"valid NIP {stranger} of no employee",
            nip=stranger)
    row = p.sample(dukcapil)
    day, second = divmod(row[1], DAY)
    when = p.month.first + timedelta(days=day)
    typed = f"{when.day} {BULAN[when.month - 1]} {when.year} {second // 3600:02d}.{second // 60 % 60:02d}"
    p.spoil(dukcapil, row, "punched_at", "DATETIME_FORMAT", f"'{typed}' typed by hand", punched_at=typed)

    bkpp = p.file("employees", "pegawai_bkpp")
    template = next(r for r in bkpp.rows if r[6] == "OFFICE" and r[5] == "PELAKSANA" and r[4] == "PNS")
    # Birth month 13; appointment, sex digit and sequence are fine.
    bad = "19881305" + "201203" + "1" + "045"
    p.spoil(bkpp, template, "nip", "NIP_FORMAT", f"NIP {bad}: birth month 13", nip=bad, name="Joko Susilo",
            active_from=p.month.first.isoformat(), active_to=None)
    cells = bkpp.render(template)
    name_at = bkpp.col("name")
    cells[0] = _valid_unknown_nip(p.world, p.rng)
    # An unquoted comma inside the name: the row has one field too many.
    cells[name_at : name_at + 1] = ["Budi Santoso", " S.Kom"]
    p.insert(bkpp, tuple(cells), None, "ROW_FIELD_COUNT", "name 'Budi Santoso, S.Kom' not quoted: 11 fields")

    roster = p.file("rosters", "jadwal_rsud")
    bad_date = f"31/09/{p.month.year}"
    p.spoil(roster, p.sample(roster), "shift_date", "DATE_FORMAT", f"{bad_date}: September has 30 days",
            shift_date=bad_date)


def _ticket_faults(p: _Planter) -> None:
    tickets = p.file("service_tickets", "tiket_disdukcapil")
    done = [r for r in p.real(tickets) if r[6] == "SELESAI"]
    prefix = f"DISDUKCAPIL-{p.month.tag}"

    first, again = p.rng.sample(done, 2)
    p.insert(tickets, tuple(tickets.render(first)), "ticket_id", "DUPLICATE_KEY",
             f"{first[0]} appears twice in the file; the first stays", after=first)
    # Every MPP counter has a numbered desk: an extra column no source knows.
    mpp = p.file("service_tickets", "tiket_mpp")
    desk = mpp.col("status") + 1
    mpp.columns = (*mpp.columns[:desk], "loket", *mpp.columns[desk:])
    mpp.rows[:] = [(*r[:desk], f"L{int(r[0][-2:]) % 12 + 1:02d}", *r[desk:]) for r in mpp.rows]
    p.faults.append(_Fault(mpp, None, "loket", "WARN_UNKNOWN_COLUMN", "extra column 'loket' (service desk)"))
    copy = tickets.render(again)
    p.insert(mpp, (*copy[:desk], "L01", *copy[desk:]), "ticket_id", "DUPLICATE_KEY",
             f"{again[0]} is also in {tickets.file_name}, which is read first")
    p.spoil(tickets, p.rng.choice(done), "status", "VALUE_NOT_ALLOWED", "status SELESAIII",
            ticket_id=f"{prefix}-{p.fresh()}", status="SELESAIII")
    late = p.rng.choice([r for r in done if r[5] >= DAY + 8 * 3600])
    p.spoil(tickets, late, "completed_at", "DATE_ORDER", "completed two hours before received",
            ticket_id=f"{prefix}-{p.fresh()}", received_at=late[5], completed_at=late[5] - 2 * 3600)
    p.spoil(tickets, p.rng.choice(done), "service_code", "UNKNOWN_SERVICE", "PASPOR is in no service catalog",
            ticket_id=f"{prefix}-{p.fresh()}", service_code="PASPOR")


def _survey_faults(p: _Planter) -> None:
    answers = p.file("service_surveys", "skm_disdukcapil")
    ticket_id, completed = _unsurveyed(p)[PAPER_SURVEYS]
    prefix = f"SKM-DISDUKCAPIL-{p.month.tag}"
    row = (f"{prefix}-{p.fresh()}", ticket_id, completed + 1800, 4, 3, "empat", 4, 3, 4, 4, 3, 4)
    p.insert(answers, tuple(answers.render(row)), "u3", "NUMBER_FORMAT", "u3 'empat' written as a word")
    template = p.sample(answers)
    p.spoil(answers, template, "ticket_id", "UNKNOWN_TICKET", "ticket exists in no period",
            response_id=f"{prefix}-{p.fresh()}", ticket_id=f"DISDUKCAPIL-{p.month.tag}-999999")


def _violation_faults(p: _Planter) -> None:
    camera = p.file("traffic_violations", "etle_kamera")
    prefix = f"ETLE-{p.month.tag}"
    p.spoil(camera, p.sample(camera), "area_code", "REQUIRED", "area_code empty",
            violation_id=f"{prefix}-{p.fresh()}", area_code=None)
    p.spoil(camera, p.sample(camera), "occurred_at", "OUTSIDE_PERIOD",
            f"dated {p.month.shift(-1).label} in the {p.month.label} file",
            violation_id=f"{prefix}-{p.fresh()}", occurred_at=-3 * 3600 + 1234)


def _skp_faults(p: _Planter) -> None:
    skp = p.file("skp_ratings", "ekinerja_skp")
    row = p.sample(skp)
    p.spoil(skp, row, "evaluator_nip", "SELF_RATING", "the employee entered as their own evaluator",
            evaluator_nip=row[0])
    typed = f"{BULAN[p.month.month - 1]} {p.month.year}"
    p.spoil(skp, p.sample(skp), "rating_period", "PERIOD_FORMAT", f"period '{typed}' written in words",
            rating_period=typed)


def _unsurveyed(p: _Planter) -> list[tuple[str, int]]:
    """Completed Disdukcapil tickets with no SKM answer yet, early enough to be answered this month."""
    answered = {r[1] for r in p.file("service_surveys", "skm_disdukcapil").rows}
    end = p.month.last.day * DAY - 2 * 3600
    rows = p.real(p.file("service_tickets", "tiket_disdukcapil"))
    return [(r[0], r[5]) for r in rows if r[6] == "SELESAI" and r[0] not in answered and r[5] < end]


def _valid_unknown_nip(world: World, rng: random.Random) -> str:
    """A well-formed PNS NIP that belongs to nobody in the city."""
    known = {p.nip for p in world.staff}
    while (nip := f"19900517201503{rng.randint(1, 2)}{rng.randint(1, 999):03d}") in known:
        pass
    return nip
