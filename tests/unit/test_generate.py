"""The synthetic extract generator: deterministic, every source and file variant, valid clean months,
and a faults manifest that points at exactly the rows a checker rejects.

The checker below is a small, independent reading of contracts §2 and domain-rules R5/R13 (not the
pipeline's own code), so the generator and the pipeline can each be tested against the contract.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml

from pipelines.errors import UsageError
from pipelines.generate import generate

ROOT = Path(__file__).resolve().parents[2]
SOURCES = yaml.safe_load((ROOT / "config" / "sources.yml").read_text(encoding="utf-8"))["sources"]
PERIOD, MONTHS = "2026-10", ("2026-08", "2026-09", "2026-10")
ARGS = dict(months=3, employees=200, seed=7, faults=True)
ENUMS = {
    "employment_type": {"PNS", "PPPK"},
    "job_type": {"JPT", "ADMINISTRATOR", "PENGAWAS", "PELAKSANA", "FUNGSIONAL"},
    "role": {"OFFICE", "SERVICE_COUNTER", "FIELD_OFFICER"},
    "schedule": {"REGULAR", "SHIFT"},
    "leave_type": {"CT", "CB", "CS", "CM", "CAP", "CLTN", "DL", "TB", "DIKLAT"},
    "direction": {"IN", "OUT", "MASUK", "PULANG"},
    "method": {"FINGERPRINT", "FACE", "MOBILE", "MANUAL"},
    "status": {"SELESAI", "DITOLAK", "BATAL", "PROSES"},
    "detected_by": {"CAMERA", "PATROL", "REPORT"},
    "action": {"GEMBOK", "DEREK", "TEGURAN", "STIKER", "NONE"},
}
KEYS = {"employees": "nip", "service_catalog": "service_code", "service_tickets": "ticket_id",
        "service_surveys": "response_id", "traffic_violations": "violation_id", "skp_ratings": "nip"}
PLACED_BY = {"attendance": "punched_at", "rosters": "shift_date", "service_tickets": "completed_at",
             "service_surveys": "submitted_at", "traffic_violations": "occurred_at"}
ORDERED = {"employees": ("active_from", "active_to"), "leave": ("date_from", "date_to"),
           "area_assignments": ("date_from", "date_to"), "service_tickets": ("received_at", "completed_at")}
FILE_RULES = {"FILE_ENCODING", "FILE_MISSING_COLUMN", "FILE_DUPLICATE_COLUMN", "FILE_EMPTY", "FILE_WRONG_PERIOD",
              "FILE_TOO_MANY_REJECTED"}
ROW_RULES = {"NIP_AS_NUMBER", "NIP_LENGTH", "NIP_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT", "NUMBER_FORMAT",
             "REQUIRED", "ROW_FIELD_COUNT", "VALUE_NOT_ALLOWED", "DUPLICATE_KEY", "DATE_ORDER", "OUTSIDE_PERIOD",
             "UNKNOWN_EMPLOYEE", "UNKNOWN_TICKET", "UNKNOWN_SERVICE", "PERIOD_FORMAT", "SELF_RATING"}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    generate(PERIOD, out, **ARGS)
    return out


@pytest.fixture(scope="module")
def manifest(landing: Path) -> list[dict]:
    return json.loads((landing / f"faults-{PERIOD}.json").read_text(encoding="utf-8"))


# --- reading files as the contract describes them -------------------------------------------------


def read(path: Path) -> tuple[list[str], list[list]]:
    """Header and data rows; CSV cells as text, XLSX cells typed."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
        width = len(rows[0])  # empty trailing cells are not stored
        return [str(h) for h in rows[0]], [r + [None] * (width - len(r)) for r in rows[1:]]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows[0], rows[1:]


def canonical(source: str, header: list[str]) -> list[str | None]:
    names = {}
    for name, spec in SOURCES[source]["columns"].items():
        for alias in [name, *spec.get("aliases", [])]:
            names[alias.lower()] = name
    return [names.get(h.strip().lower()) for h in header]


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
        if match := re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    return None


def parse_datetime(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    match = re.fullmatch(r"(\S+) (\d{2}):(\d{2})(?::(\d{2}))?", value)
    day = parse_date(match[1]) if match else None
    if day is None or int(match[2]) > 23 or int(match[3]) > 59:
        return None
    return datetime(day.year, day.month, day.day, int(match[2]), int(match[3]), int(match[4] or 0))


def nip_rule(value: str, employment_type: str | None = None) -> str | None:
    """R5 and contracts §2.1: None when valid for the type (either pattern when no type)."""
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", value, re.IGNORECASE):
        return "NIP_AS_NUMBER"
    nip = re.sub(r"[ .]", "", value)
    if not re.fullmatch(r"\d{18}", nip):
        return "NIP_LENGTH"
    birth = parse_date(f"{nip[:4]}-{nip[4:6]}-{nip[6:8]}")
    sex_seq = nip[14] in "12" and nip[15:] != "000"
    pns = (birth is not None and sex_seq and 1 <= int(nip[12:14]) <= 12
           and date(int(nip[8:12]), int(nip[12:14]), 1) > birth)
    pppk = birth is not None and sex_seq and int(nip[8:12]) >= 2019 and int(nip[8:12]) > birth.year
    ok = {"PNS": pns, "PPPK": pppk}.get(employment_type, pns or pppk)
    return None if ok else "NIP_FORMAT"


# --- an independent checker of one period folder ---------------------------------------------------


class Checker:
    """Rejects rows by the contract's rules and remembers which; knows earlier months' tickets."""

    def __init__(self) -> None:
        self.tickets_before: set[str] = set()

    def check(self, folder: Path, refused: set[str]) -> list[tuple[str, str, int, str]]:
        period = datetime.strptime(folder.name, "%Y-%m").date()
        end = (period + timedelta(days=32)).replace(day=1)
        self.issues: list[tuple[str, str, int, str]] = []
        self.keys: dict[str, set[str]] = {source: set() for source in KEYS}
        self.staff: dict[str, dict] = {}
        for source in ("employees", "service_catalog", "leave", "rosters", "attendance", "service_tickets",
                       "service_surveys", "traffic_violations", "area_assignments", "holidays", "skp_ratings"):
            for path in sorted((folder / source).glob("*")) if (folder / source).is_dir() else []:
                if path.name not in refused:
                    self._file(source, path, period, end)
        self.tickets_before |= self.keys["service_tickets"]
        return self.issues

    def _file(self, source: str, path: Path, period: date, end: date) -> None:
        header, rows = read(path)
        names = canonical(source, header)
        spec = SOURCES[source]["columns"]
        for n, raw in enumerate(rows, 2):
            if len(raw) != len(header):
                self.issues.append((source, path.name, n, "ROW_FIELD_COUNT"))
                continue
            row = {name: ("" if v is None else v.strip() if isinstance(v, str) else v)
                   for name, v in zip(names, raw) if name}
            if rule := self._row(source, spec, row, period, end):
                self.issues.append((source, path.name, n, rule))
            elif source == "employees":
                self.staff[row["nip"]] = row

    def _row(self, source: str, spec: dict, row: dict, period: date, end: date) -> str | None:
        employment_type = row.get("employment_type") if source == "employees" else None
        for name, column in spec.items():
            value = row.get(name, "")
            if value == "":
                done = row.get("status") == "SELESAI"
                if column.get("required") or (name in ("officer_nip", "completed_at") and done):
                    return "REQUIRED"
                continue
            kind = column["type"]
            if kind == "nip" and (rule := nip_rule(str(value), employment_type)):
                return rule
            if kind == "date" and (parsed := parse_date(value)) is None:
                return "DATE_FORMAT"
            if kind == "datetime" and (parsed := parse_datetime(value)) is None:
                return "DATETIME_FORMAT"
            if kind == "integer" and not re.fullmatch(r"\d+", str(value)):
                return "NUMBER_FORMAT"
            if kind == "rating_period":
                if not re.fullmatch(r"\d{4}-(\d{2}|TW[1-4]|Q[1-4])", value):
                    return "PERIOD_FORMAT"
                quarter = f"{period.year}-TW{(period.month + 2) // 3}"
                if value not in (period.strftime("%Y-%m"), quarter, quarter.replace("TW", "Q")):
                    return "OUTSIDE_PERIOD"
            if kind == "label" and " ".join(value.upper().split()) not in column["values"]:
                return "VALUE_NOT_ALLOWED"
            if kind in ("date", "datetime"):
                row[name] = parsed
            answer = re.fullmatch(r"u\d", name)
            if (name in ENUMS and value not in ENUMS[name]) or (answer and not 1 <= int(value) <= 4):
                return "VALUE_NOT_ALLOWED"
        first, second = ORDERED.get(source, (None, None))
        if row.get(second) not in (None, "") and row[second] < row[first]:
            return "DATE_ORDER"
        placed = row.get(PLACED_BY.get(source)) or row.get("received_at")
        if placed is not None:
            day = placed.date() if isinstance(placed, datetime) else placed
            spill = (source == "attendance" and day == end and placed.hour < 10
                     and self.staff.get(row["nip"], {}).get("schedule") == "SHIFT")
            if not (period <= day < end or spill):
                return "OUTSIDE_PERIOD"
        if source == "skp_ratings" and row.get("evaluator_nip") == row["nip"]:
            return "SELF_RATING"
        if (key := KEYS.get(source)) and row[key] in self.keys[source]:
            return "DUPLICATE_KEY"
        for name in ("nip", "officer_nip", "evaluator_nip"):
            if row.get(name) and source != "employees" and row[name] not in self.staff:
                return "UNKNOWN_EMPLOYEE"
        if source == "service_tickets" and row["service_code"] not in self.keys["service_catalog"]:
            return "UNKNOWN_SERVICE"
        if (source == "service_surveys" and row["ticket_id"] not in self.tickets_before
                and row["ticket_id"] not in self.keys["service_tickets"]):
            return "UNKNOWN_TICKET"
        if key:
            self.keys[source].add(row[key])
        return None


# --- tests -------------------------------------------------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_bytes(landing: Path, tmp_path: Path) -> None:
    generate(PERIOD, tmp_path / "again", **ARGS)
    assert files_of(tmp_path / "again") == files_of(landing)
    generate(PERIOD, tmp_path / "other", **{**ARGS, "seed": 8})
    other = files_of(tmp_path / "other")
    assert other.keys() == files_of(landing).keys()
    assert other["2026-08/employees/pegawai_bkpp.csv"] != files_of(landing)["2026-08/employees/pegawai_bkpp.csv"]


def test_every_source_in_every_month(landing: Path) -> None:
    for month in MONTHS:
        present = {p.name for p in (landing / month).iterdir() if p.is_dir()} - {"foto_kegiatan"}
        expected = set(SOURCES) - ({"holidays"} if month != MONTHS[1] else set())
        assert present == expected, month
        for source in present - {"foto_kegiatan"} if month != PERIOD else ():
            for path in (landing / month / source).iterdir():
                assert None not in canonical(source, read(path)[0]), path


def test_one_kecamatan_never_sends_attendance(landing: Path) -> None:
    for month in MONTHS:
        _, staff = read(landing / month / "employees" / "pegawai_kecamatan.csv")
        assert any(r[2] == "KEC_TUGU" for r in staff)
        assert not (landing / month / "attendance" / "presensi_kec_tugu.csv").exists()


def test_nips_follow_r5_and_are_unique(landing: Path) -> None:
    for month in MONTHS[:-1]:  # the last month holds planted NIP faults
        nips = []
        for path in (landing / month / "employees").iterdir():
            header, rows = read(path)
            for row in (dict(zip(canonical("employees", header), raw)) for raw in rows):
                assert nip_rule(row["nip"], row["employment_type"]) is None, row
                nips.append(row["nip"])
        assert len(nips) == len(set(nips)) > 150


def test_file_variants_are_really_produced(landing: Path) -> None:
    folder = landing / MONTHS[0]
    excel = (folder / "employees" / "pegawai_kecamatan.csv").read_bytes()
    excel.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        excel.decode("utf-8")
    assert b"\x92" in excel and "Élan".encode("cp1252") in excel  # curly apostrophe, accent
    assert excel.count(b"\r\n") == excel.count(b"\n") > 1
    header, rows = read(folder / "employees" / "pegawai_kecamatan.csv")
    assert header[:2] == [" NIP ", "Nama"] and re.fullmatch(r"\d\d/\d\d/\d{4}", rows[0][8])
    _, punches = read(folder / "attendance" / "presensi_dishub.csv")
    assert {r[2] for r in punches} == {"MASUK", "PULANG"} and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", punches[0][1])
    _, blank = read(folder / "attendance" / "presensi_kec_banyumanik.csv")
    assert {r[2] for r in blank} == {""}
    assert (folder / "attendance" / "presensi_dinkes.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b'"Badan Kepegawaian, Pendidikan dan Pelatihan"' in (folder / "employees" / "pegawai_bkpp.csv").read_bytes()
    book = openpyxl.load_workbook(folder / "employees" / "pegawai_rsud.xlsx", read_only=True)
    first = next(book.worksheets[0].iter_rows(min_row=2, max_row=2))
    assert first[0].data_type == "s" and len(first[0].value) == 18  # NIP as text
    assert isinstance(first[8].value, datetime)  # active_from as a real date cell
    book.close()


def test_clean_months_reject_nothing(landing: Path) -> None:
    checker = Checker()
    for month in MONTHS[:-1]:
        assert checker.check(landing / month, refused=set()) == []


def test_night_shift_checkout_is_in_both_months(landing: Path) -> None:
    for this, following in zip(MONTHS, MONTHS[1:]):
        first = datetime.strptime(following, "%Y-%m")
        for name in ("presensi_rsud.csv", "presensi_dishub.csv"):
            _, rows = read(landing / this / "attendance" / name)
            spill = [r for r in rows if parse_datetime(r[1]).date() == first.date()]
            if name == "presensi_rsud.csv":
                assert spill and all(parse_datetime(r[1]).hour < 10 for r in spill)
            _, later = read(landing / following / "attendance" / name)
            assert all(r in later for r in spill)


def test_manifest_points_at_exactly_the_rejected_rows(landing: Path, manifest: list[dict]) -> None:
    assert {e["rule"] for e in manifest} == FILE_RULES | ROW_RULES | {"WARN_UNKNOWN_COLUMN", "NOTICE_UNKNOWN_FOLDER"}
    refused = {e["file"] for e in manifest if e["rule"] in FILE_RULES}
    checker = Checker()
    for month in MONTHS[:-1]:
        checker.check(landing / month, refused=set())
    found = checker.check(landing / PERIOD, refused)
    planted = [(e["source"], e["file"], e["row"], e["rule"]) for e in manifest if e["rule"] in ROW_RULES]
    assert sorted(found) == sorted(planted)


def test_manifest_row_entries_hold_the_planted_value(landing: Path, manifest: list[dict]) -> None:
    for entry in (e for e in manifest if e["rule"] in ROW_RULES):
        header, rows = read(landing / PERIOD / entry["source"] / entry["file"])
        raw = rows[entry["row"] - 2]
        if entry["column"] is None:
            assert len(raw) != len(header)
            continue
        value = raw[canonical(entry["source"], header).index(entry["column"])]
        expected = {"NIP_AS_NUMBER": r"\d\.\d+E\+17", "NIP_LENGTH": r"\d{17}", "NIP_FORMAT": r"\d{4}1[3-9]\d{12}",
                    "DATE_FORMAT": r"31/09/\d{4}", "NUMBER_FORMAT": r"[a-z]+", "REQUIRED": "",
                    "VALUE_NOT_ALLOWED": "SELESAIII", "UNKNOWN_SERVICE": "PASPOR",
                    "PERIOD_FORMAT": r"[A-Z][a-z]+ \d{4}"}.get(entry["rule"], r".+")
        assert re.fullmatch(expected, value), entry


def test_file_faults_are_what_the_manifest_says(landing: Path, manifest: list[dict]) -> None:
    folder = landing / PERIOD
    for entry in manifest:
        rule = entry["rule"]
        if rule == "NOTICE_UNKNOWN_FOLDER":
            assert (folder / entry["source"]).is_dir() and entry["source"] not in SOURCES
            continue
        if rule not in FILE_RULES | {"WARN_UNKNOWN_COLUMN"}:
            continue
        path = folder / entry["source"] / entry["file"]
        assert entry["row"] is None
        if rule == "FILE_ENCODING":
            data = path.read_bytes()
            for encoding in ("utf-8", "cp1252"):
                with pytest.raises(UnicodeDecodeError):
                    data.decode(encoding)
            continue
        header, rows = read(path)
        names = canonical(entry["source"], header)
        if rule == "FILE_MISSING_COLUMN":
            assert entry["column"] not in names and rows
        elif rule == "FILE_DUPLICATE_COLUMN":
            assert names.count(entry["column"]) == 2
        elif rule == "FILE_EMPTY":
            assert rows == [] and header
        elif rule == "FILE_WRONG_PERIOD":
            at = names.index(entry["column"])
            assert all(parse_datetime(r[at]).strftime("%Y-%m") == MONTHS[1] for r in rows)
        elif rule == "FILE_TOO_MANY_REJECTED":
            bad = [r for r in rows if any(re.fullmatch(r"[a-z]+", v) for v in r[3:])]
            assert len(bad) > 0.05 * len(rows)
        elif rule == "WARN_UNKNOWN_COLUMN":
            assert entry["column"] in header and names[header.index(entry["column"])] is None


def test_row_faults_stay_far_below_five_percent_of_their_file(landing: Path, manifest: list[dict]) -> None:
    per_file: dict[tuple[str, str], int] = {}
    for entry in (e for e in manifest if e["rule"] in ROW_RULES):
        per_file[entry["source"], entry["file"]] = per_file.get((entry["source"], entry["file"]), 0) + 1
    for (source, name), count in per_file.items():
        _, rows = read(landing / PERIOD / source / name)
        assert count < 0.04 * len(rows), name


@pytest.mark.parametrize("kwargs", [dict(period="2026-13"), dict(period="202610"), dict(months=0),
                                    dict(employees=50)])
def test_bad_arguments_are_usage_errors(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(UsageError):
        generate(kwargs.pop("period", PERIOD), tmp_path, **kwargs)


def test_never_writes_into_a_period_that_holds_files(landing: Path) -> None:
    with pytest.raises(UsageError, match="not empty"):
        generate(PERIOD, landing, employees=200)
