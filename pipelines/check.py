"""`kinerja check FILE --source NAME`: a department checks its own extract before sending it.

The very same land/load/rule code as `kinerja run` (`pipelines.ingest.stage_period`), so `check`
and `run` cannot disagree, on a throwaway embedded PostgreSQL started in a temporary folder and
deleted afterwards (also on errors): nothing is kept anywhere.

The file is staged in a temporary landing tree `<tmp>/<period>/<NAME>/<file name>` together with
the reference files the cross-file rules of NAME need (employees for NIPs, the service catalog for
tickets, tickets for survey answers), taken from the file's own landing tree
(`<root>/<YYYY-MM>/<NAME>/<file>`) or from `--reference DIR`. Only what concerns the checked file
is reported; rules that a single-file check cannot apply are reported as "not checked".

Exit status (contracts §4): 0 clean or warnings only, 1 some rows would be rejected, 2 usage,
3 the file would be refused, 4 unexpected fault (raised to `pipelines.cli.main`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote

from pipelines.check_attendance import partial_lines, partial_units, partial_verdict
from pipelines.errors import DataRefused, UsageError
from pipelines.export.labels import SOURCE_NAMES
from pipelines.ingest import StageOptions, stage_period
from pipelines.land.header import file_header
from pipelines.period import Period
from pipelines.rules.catalog import RULES, message
from pipelines.rules.columns import sources
from pipelines.rules.coverage import quality
from pipelines.warehouse import connection

LANGS = ("id", "en")
# Staging needs some period; when none can be known the period rules are switched off and this
# placeholder is never shown.
PLACEHOLDER_PERIOD = Period(2000, 1)
MAX_ROWS_PER_RULE = 50
MAX_VALUE_CHARS = 80
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# The sources whose rows the cross-file rules of a source compare with (domain-rules R13,
# contracts §2.2). Only these are staged beside the checked file: a clerk checking a leave file
# does not wait for the city's attendance. Closed transitively below (a survey's ticket must itself
# load, so the tickets need the catalog and the employees).
REFERENCES: dict[str, tuple[str, ...]] = {
    "employees": (),
    "leave": ("employees",),
    "rosters": ("employees",),
    # rosters: R2 night-shift check-outs on the 1st; leave and holidays: the working days the
    # partial-export rule counts (pipelines.check_attendance)
    "attendance": ("employees", "rosters", "leave", "holidays"),
    "service_catalog": (),
    "service_tickets": ("employees", "service_catalog"),
    "service_surveys": ("service_tickets",),
    "traffic_violations": ("employees",),
    "area_assignments": ("employees",),
    "holidays": (),
    "skp_ratings": ("employees",),
    "tpp_base": ("employees",),
}
# The rule that compares a row with each reference source (set rules, R13).
CROSS_FILE_RULES = {
    "employees": "UNKNOWN_EMPLOYEE",
    "service_catalog": "UNKNOWN_SERVICE",
    "service_tickets": "UNKNOWN_TICKET",
}
# Key column of the sources whose key must be unique in the period (R13): checked within the file,
# but not against the other files of the same source.
KEYS = {
    "employees": "nip",
    "service_catalog": "service_code",
    "service_tickets": "ticket_id",
    "service_surveys": "response_id",
    "traffic_violations": "violation_id",
    "skp_ratings": "nip",
    "tpp_base": "nip",
}


def reference_sources(source: str) -> list[str]:
    """The sources staged beside a `source` file, in reading order (sources.yml)."""
    wanted: set[str] = set()
    todo = list(REFERENCES.get(source, ()))
    while todo:
        name = todo.pop()
        if name not in wanted and name != source:
            wanted.add(name)
            todo.extend(REFERENCES.get(name, ()))
    return [name for name in sources() if name in wanted]


# --------------------------------------------------------------------------------------------
# What a check found


@dataclass(frozen=True)
class Problem:
    """One rule one row of the checked file breaks (from meta.rejected_row)."""

    row_number: int
    column_name: str | None  # canonical
    value: str | None
    rule: str
    detail: str | None
    header: str | None = None  # the column as the file's header names it
    letter: str | None = None  # the spreadsheet column (A, B, ...)


@dataclass(frozen=True)
class FileOutcome:
    """A file as `run` would take it (from meta.source_file)."""

    file_name: str  # <source>/<file name>
    outcome: str  # LOADED, REJECTED, or IGNORED (never read, see NOTICE_IGNORED_FILE)
    encoding: str | None = None
    delimiter: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rule: str | None = None
    detail: str | None = None


@dataclass
class CheckReport:
    path: Path
    source: str
    period: Period | None  # None: unknown, period rules not checked
    period_origin: str | None  # "option", "landing", "reference"
    reference_folder: Path | None  # where the reference files came from
    file: FileOutcome
    problems: list[Problem] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (rule, detail)
    references: list[FileOutcome] = field(default_factory=list)
    not_checked: list[tuple[str, str]] = field(default_factory=list)  # (rule, why) as staging says
    run_refused: str | None = None  # `run` would be refused as a whole (employees only)
    siblings: int = 0  # other files of the same source beside it in the landing tree
    partial: list = field(default_factory=list)  # units `run` would mark INCOMPLETE (check_attendance)

    @property
    def refused(self) -> bool:
        return self.file.outcome != "LOADED" or self.run_refused is not None

    @property
    def exit_code(self) -> int:
        if self.refused:
            return 3
        return 1 if self.file.rows_rejected else 0


# --------------------------------------------------------------------------------------------
# Where the file, its period and its reference files are


@dataclass(frozen=True)
class _Location:
    period: Period | None
    origin: str | None
    period_folder: Path | None  # the folder holding the reference source folders
    root: Path | None  # the landing root: links leading outside it are refused, as in `run`


def _landing_of(file: Path, source: str) -> tuple[Path, Period] | None:
    """(landing root, period) when the file sits at <root>/<YYYY-MM>/<source>/<file>."""
    folder, month = file.parent, file.parent.parent
    if not _MONTH.match(month.name) or folder.name not in sources():
        return None
    if folder.name != source:
        raise UsageError(
            f"{file} sits in the {folder.name} folder of a landing tree, but --source is {source}; "
            f"check it with --source {folder.name}, or move the file"
        )
    return month.parent, Period.parse(month.name)


def _is_period_folder(folder: Path) -> bool:
    return _MONTH.match(folder.name) is not None or any((folder / s).is_dir() for s in sources())


def _locate(file: Path, source: str, period: Period | None, reference: Path | None) -> _Location:
    origin = "option" if period else None
    landing = _landing_of(file, source)
    if landing:
        root, folder_period = landing
        if period and period != folder_period:
            raise UsageError(
                f"{file} sits in the {folder_period} folder of a landing tree but --period is "
                f"{period}; drop --period or move the file to the {period} folder"
            )
        period, origin = folder_period, origin or "landing"
    if reference is None:
        if landing:
            return _Location(period, origin, landing[0] / str(period), landing[0])
        return _Location(period, origin, None, None)

    if not reference.is_dir():
        raise UsageError(f"reference folder {reference} does not exist")
    if period and (reference / str(period)).is_dir():
        return _Location(period, origin, reference / str(period), reference)
    if _is_period_folder(reference):
        if _MONTH.match(reference.name):
            named = Period.parse(reference.name)
            if period and named != period:
                raise UsageError(
                    f"reference folder {reference} is the folder of {named} but the period is "
                    f"{period}; point --reference at the landing folder or at the {period} folder"
                )
            return _Location(named, origin or "reference", reference, reference.parent)
        if period is None:
            raise UsageError(
                f"the period is not known: give --period YYYY-MM (the reference folder {reference} "
                "is not named after a month)"
            )
        return _Location(period, origin, reference, reference)
    months = sorted(p.name for p in reference.iterdir() if p.is_dir() and _MONTH.match(p.name))
    if months and period is None:
        raise UsageError(
            f"reference folder {reference} holds the months {', '.join(months)}: "
            "give --period YYYY-MM to choose one"
        )
    if months:
        raise UsageError(f"reference folder {reference} has no {period} folder")
    raise UsageError(
        f"reference folder {reference} is neither a landing folder (holding <YYYY-MM>/ folders) "
        "nor a period folder (holding source folders such as employees/)"
    )


# --------------------------------------------------------------------------------------------
# The throwaway landing tree and warehouse


def _is_outside(path: Path, root: Path | None) -> bool:
    return root is not None and path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def _place(original: Path, target: Path, root: Path | None) -> None:
    """Put `original` at `target` as `run` would read it: the same bytes (a hard link, or a copy
    across file systems), or, for a link out of the landing tree, a link `run` refuses too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    real = original.resolve()
    if _is_outside(original, root):
        target.symlink_to(real)
        return
    try:
        os.link(real, target)
    except OSError:
        shutil.copyfile(real, target)


def _build_landing(
    tmp: Path, file: Path, source: str, period: Period, location: _Location, references: list[str]
) -> tuple[list[Path], int]:
    """The temporary landing tree; returns the reference files placed and the sibling count."""
    folder = tmp / str(period)
    _place(file, folder / source / file.name, location.root)
    placed, siblings = [], 0
    if location.period_folder is None:
        return placed, siblings
    for name in [source, *references]:
        source_dir = location.period_folder / name
        if not source_dir.is_dir() or _is_outside(source_dir, location.root):
            continue  # `run` reads no file of a source folder linked from outside the tree
        for path in sorted(source_dir.iterdir(), key=lambda p: p.name):
            if path.name.startswith((".", "~$")) or path.is_dir() or not path.exists():
                continue  # never read by `run` either
            if name == source:
                siblings += not _same_file(path, file)
                continue
            _place(path, folder / name / path.name, location.root)
            placed.append(folder / name / path.name)
    return placed, siblings


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


@contextmanager
def throwaway_warehouse() -> Iterator[str]:
    """The URL of a new embedded PostgreSQL in a temporary folder, deleted when the block ends
    (also on errors). Starts in under a second, initdb included."""
    import warnings

    warnings.filterwarnings("ignore", module="platformdirs")
    import pgserver

    home = Path(tempfile.mkdtemp(prefix="kinerja-check-pg-"))
    server, socket_dir = None, None
    try:
        server = pgserver.get_server(home / "pgdata", cleanup_mode="delete")
        url = server.get_uri()
        socket_dir = _socket_dir(url)
        yield url
    finally:
        try:
            if server is not None:
                server.cleanup()
        finally:
            shutil.rmtree(home, ignore_errors=True)
            # A data folder with a long path has its socket elsewhere (pgserver's runtime folder).
            if socket_dir is not None and not socket_dir.is_relative_to(home):
                try:
                    socket_dir.rmdir()  # only when empty
                except OSError:
                    pass


def _socket_dir(url: str) -> Path | None:
    match = re.search(r"[?&]host=([^&]+)", url)
    return Path(unquote(match[1])) if match and match[1].startswith("/") else None


# --------------------------------------------------------------------------------------------
# The check


def parse_lang(lang: str | None) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang {lang!r} is not one of {', '.join(LANGS)} (id: Indonesian, en: English)")
    return lang


def check_file(
    file: Path, source: str, *, period: str | Period | None = None, reference: Path | None = None
) -> CheckReport:
    """Stage `file` as a `source` extract in a throwaway warehouse; what `run` would do with it."""
    if source not in sources():
        raise UsageError(f"unknown --source {source!r}; the sources are: {', '.join(sources())}")
    file = Path(os.path.abspath(file))
    if not file.exists():
        raise UsageError(f"file {file} does not exist")
    if file.is_dir():
        raise UsageError(f"{file} is a folder; give the file to check")
    if isinstance(period, str):
        period = Period.parse(period)
    location = _locate(file, source, period, Path(os.path.abspath(reference)) if reference else None)
    references = reference_sources(source)
    stage_as = location.period or PLACEHOLDER_PERIOD
    # The same rules as `run`; the Great Expectations suites only record what SQL rules decide,
    # so a check skips them (and their ~3 s import).
    options = StageOptions(
        require_employees=source == "employees", period_rules=location.period is not None,
        history=False, expectations=False, keep_refused_rows=True,
    )

    landing = Path(tempfile.mkdtemp(prefix="kinerja-check-"))
    try:
        placed, siblings = _build_landing(landing, file, source, stage_as, location, references)
        with throwaway_warehouse() as url:
            run_refused, not_checked = None, []
            try:
                not_checked = list(stage_period(stage_as, landing, url=url, options=options).not_checked)
            except DataRefused as refused:
                run_refused = str(refused)
            with connection(url) as conn:
                report = _read_report(conn, file, source, location, placed)
                if report.file.outcome == "LOADED" and run_refused is None:
                    report.partial = partial_units(conn, source, location.period)
        report.not_checked, report.run_refused, report.siblings = not_checked, run_refused, siblings
        return report
    finally:
        shutil.rmtree(landing, ignore_errors=True)


def _read_report(conn, file: Path, source: str, location: _Location, placed: list[Path]) -> CheckReport:
    name = f"{source}/{file.name}"
    with conn.cursor() as cur:
        cur.execute("select max(run_id) from meta.run")
        (run_id,) = cur.fetchone()
        cur.execute(
            """select file_no, file_name, outcome, encoding, delimiter, rows_read, rows_loaded,
                      rows_rejected, rule, detail
               from meta.source_file where run_id = %s order by file_no""",
            (run_id,),
        )
        records = {row[1]: row for row in cur.fetchall()}
        cur.execute(
            "select path, rule, coalesce(detail, '') from meta.landing_notice"
            " where run_id = %s and path = %s order by rule, detail",
            (run_id, name),
        )
        notices = cur.fetchall()
        problems: list[tuple] = []
        if name in records:
            cur.execute(
                """select distinct row_number, column_name, value, rule, detail from meta.rejected_row
                    where run_id = %s and file_no = %s order by 1, 4, 2""",
                (run_id, records[name][0]),
            )
            problems = cur.fetchall()
    conn.rollback()

    if name in records:
        outcome = _outcome(records[name])
    else:  # never read: a name `run` skips (hidden, a spreadsheet's ~$ lock file)
        outcome = FileOutcome(name, "IGNORED", rule="NOTICE_IGNORED_FILE", detail=name)
    columns = _columns(file, source, outcome)
    report = CheckReport(
        path=file, source=source, period=location.period, period_origin=location.origin,
        reference_folder=location.period_folder, file=outcome,
        problems=[
            Problem(row, column, value, rule, detail, *columns.get(column, (None, None)))
            for row, column, value, rule, detail in problems
        ],
        warnings=[(rule, detail) for _, rule, detail in notices if rule != "NOTICE_IGNORED_FILE"],
        references=[
            _outcome(records[ref]) for ref in (f"{p.parent.name}/{p.name}" for p in placed) if ref in records
        ],
    )
    return report


def _outcome(row: tuple) -> FileOutcome:
    _, file_name, outcome, encoding, delimiter, read, loaded, rejected, rule, detail = row
    return FileOutcome(file_name, outcome, encoding, delimiter, read, loaded, rejected, rule, detail)


def _columns(file: Path, source: str, outcome: FileOutcome) -> dict[str, tuple[str, str]]:
    """Canonical column -> (name in the file's header, spreadsheet letter), to point at cells."""
    if outcome.encoding not in ("XLSX", "UTF8", "WIN1252"):
        return {}
    try:
        header = file_header(file, sources()[source], xlsx=outcome.encoding == "XLSX")
    except Exception:  # only a nicety for the report: fall back to canonical names
        return {}
    if header is None:
        return {}
    return {name: (header.cells[i - 1].strip(), _letter(i)) for name, i in header.columns.positions.items()}


def _letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------
# The report a department clerk reads

_TEXT = {
    "id": {
        "title": "Pemeriksaan berkas: {path}",
        "source": "Jenis data (--source): {source}",
        "period": "Periode: {period} ({origin})",
        "origin.option": "dari --period",
        "origin.landing": "dari folder landing berkas",
        "origin.reference": "dari folder pembanding",
        "period.unknown": "Periode: tidak diketahui (beri --period YYYY-MM); aturan periode tidak diperiksa",
        "format.csv": "Format: CSV, {encoding}, pemisah {delimiter}",
        "format.xlsx": "Format: XLSX (lembar pertama yang memuat kolomnya)",
        "format.unread": "Format: tidak terbaca",
        "comma": '"," (koma)',
        "semicolon": '";" (titik koma)',
        "rows": "Baris data: {read} dibaca, {loaded} akan dimuat, {rejected} akan ditolak",
        "verdict.clean": "HASIL: berkas siap dikirim. Semua {loaded} baris akan dimuat.",
        "verdict.warn": "HASIL: berkas siap dikirim. Semua {loaded} baris akan dimuat; baca peringatan di bawah.",
        "verdict.rows": (
            "HASIL: {rejected} dari {read} baris akan ditolak (baris lain tetap dimuat). "
            "Perbaiki baris di bawah, lalu periksa ulang sebelum mengirim."
        ),
        "verdict.refused": "HASIL: berkas akan DITOLAK seluruhnya; tidak ada baris yang dimuat.",
        "verdict.ignored": "HASIL: berkas ini tidak akan dibaca sama sekali.",
        "reason": "Alasan [{rule}]: {text}",
        "ignored.why": "nama berkas yang diawali '.' atau '~$' dilewati (berkas tersembunyi atau kunci Excel); ganti nama berkasnya",
        "run_refused": (
            "Tanpa satu pun baris pegawai yang dapat dimuat, `kinerja run` periode ini akan ditolak "
            "(tidak ada yang diterbitkan)."
        ),
        "fix": "Perbaiki berkas, lalu periksa ulang.",
        "problems": "Baris bermasalah (nomor baris seperti di spreadsheet; baris {header} = judul kolom):",
        "problems.refused": "Baris yang melanggar aturan (nomor baris seperti di spreadsheet; baris {header} = judul kolom):",
        "group": "[{rule}] {count} baris:",
        "row": "baris {row}",
        "column": "kolom {letter} ({header})",
        "more": "... dan {more} baris lain dengan masalah yang sama",
        "warnings": "Peringatan (tidak ada yang ditolak):",
        "references": "Berkas pembanding dari {folder}:",
        "references.none": "Berkas pembanding: tidak ada (periksa berkas di folder landing-nya, atau beri --reference DIR)",
        "ref.loaded": "{name}: dipakai ({loaded} baris)",
        "ref.refused": "{name}: akan ditolak [{rule}]: {text}",
        "not_checked": "Tidak diperiksa:",
        "nc.history": (
            "Perbandingan dengan periode sebelumnya (misalnya jumlah baris unit dibanding rata-rata "
            "{months} bulan terakhir) tidak dilakukan: pemeriksaan tidak memakai data yang sudah dimuat."
        ),
        "nc.duplicate": (
            "[DUPLICATE_KEY] {key} yang sama di {n} berkas {source} lain di folder landing tidak "
            "dibandingkan; `kinerja run` membandingkannya (berkas yang dibaca lebih dulu yang dipakai)."
        ),
        "nc.partly": (
            "hanya sebagian diperiksa: {files} akan ditolak, sehingga nilai yang hanya ada di "
            "berkas itu dilaporkan tidak dikenal"
        ),
        "why.period": "periode tidak diketahui (beri --period YYYY-MM)",
        "why.earlier_tickets": "tiket periode sebelumnya tidak tersedia dalam pemeriksaan",
        "why.no_rows": "tidak ada baris {source} sebagai pembanding (folder {folder})",
        "why.no_folder": "beri --reference DIR, atau periksa berkas di folder landing-nya",
        "why.no_file": "folder {folder} tidak memuat berkas {source}",
        "why.refused": "berkas {files} akan ditolak",
        "nothing": "(tidak ada)",
    },
    "en": {
        "title": "Check of file: {path}",
        "source": "Kind of data (--source): {source}",
        "period": "Period: {period} ({origin})",
        "origin.option": "from --period",
        "origin.landing": "from the file's landing folder",
        "origin.reference": "from the reference folder",
        "period.unknown": "Period: unknown (give --period YYYY-MM); period rules not checked",
        "format.csv": "Format: CSV, {encoding}, delimiter {delimiter}",
        "format.xlsx": "Format: XLSX (the first sheet that has its columns)",
        "format.unread": "Format: not read",
        "comma": '"," (comma)',
        "semicolon": '";" (semicolon)',
        "rows": "Data rows: {read} read, {loaded} would load, {rejected} would be rejected",
        "verdict.clean": "RESULT: ready to send. All {loaded} rows would load.",
        "verdict.warn": "RESULT: ready to send. All {loaded} rows would load; read the warnings below.",
        "verdict.rows": (
            "RESULT: {rejected} of {read} rows would be rejected (the other rows would load). "
            "Fix the rows below, then check again before sending."
        ),
        "verdict.refused": "RESULT: the whole file would be REFUSED; no row would load.",
        "verdict.ignored": "RESULT: this file would not be read at all.",
        "reason": "Reason [{rule}]: {text}",
        "ignored.why": "file names starting with '.' or '~$' are skipped (hidden files, Excel lock files); rename the file",
        "run_refused": (
            "With no employee row that loads, `kinerja run` of the period would be refused "
            "(nothing published)."
        ),
        "fix": "Fix the file, then check it again.",
        "problems": "Rows with problems (row numbers as a spreadsheet shows them; row {header} = header):",
        "problems.refused": "Rows that break a rule (row numbers as a spreadsheet shows them; row {header} = header):",
        "group": "[{rule}] {count} row(s):",
        "row": "row {row}",
        "column": "column {letter} ({header})",
        "more": "... and {more} more rows with the same problem",
        "warnings": "Warnings (nothing rejected):",
        "references": "Reference files from {folder}:",
        "references.none": "Reference files: none (check the file inside its landing folder, or give --reference DIR)",
        "ref.loaded": "{name}: used ({loaded} rows)",
        "ref.refused": "{name}: would be refused [{rule}]: {text}",
        "not_checked": "Not checked:",
        "nc.history": (
            "Comparisons with earlier periods (e.g. a unit's row count against its mean of the last "
            "{months} months) are not made: a check uses no data loaded before."
        ),
        "nc.duplicate": (
            "[DUPLICATE_KEY] the same {key} in the {n} other {source} file(s) of the landing folder "
            "is not compared; `kinerja run` compares them (the file read first is kept)."
        ),
        "nc.partly": (
            "only partly checked: {files} would be refused, so values found only in that file are "
            "reported as unknown"
        ),
        "why.period": "the period is not known (give --period YYYY-MM)",
        "why.earlier_tickets": "tickets of earlier periods are not available to a check",
        "why.no_rows": "no {source} rows to compare with",
        "why.no_folder": "give --reference DIR, or check the file inside its landing folder",
        "why.no_file": "{folder} holds no {source} file",
        "why.refused": "{files} would be refused",
        "nothing": "(none)",
    },
}


def _t(lang: str, key: str, /, **values) -> str:
    return _TEXT[lang][key].format(**values)


def _detail(rule: str, detail: str | None, lang: str) -> str:
    """The rule-specific fact, with the few English words the loader puts in it in Indonesian."""
    detail = detail or ""
    if lang != "id":
        return detail
    if rule == "NIP_FORMAT":
        return detail.replace(" or ", " atau ")
    if rule == "RANGE":
        return re.sub(r"^(-?\d+) to (-?\d+)$", r"\1 sampai \2", re.sub(r" or more$", " atau lebih", detail))
    if rule == "REQUIRED":
        return detail.replace(" when status is ", " bila status ")
    if rule in ("FILE_TOO_MANY_REJECTED", "FILE_WRONG_PERIOD"):
        return re.sub(r"^(\d+) of (\d+) (.*), more than ", r"\1 dari \2 \3, lebih dari ", detail)
    if rule == "DUPLICATE_KEY":
        return re.sub(r" row (\d+)$", r" baris \1", detail)
    if rule == "DATE_ORDER":
        return detail
    if rule == "FILE_MISSING_COLUMN":
        detail, _, profiles = detail.partition("; layouts read as they come: ")
        detail, _, nearest = detail.partition("; nearest expected names: ")
        names, sep, header = detail.partition(" (the header has: ")
        names = names.replace("(or ", "(atau ").replace(") and '", ") dan '").replace("' and '", "' dan '")
        if sep:
            header = header[:-1] if header.endswith(")") else header
            names += " (baris judul kosong)" if header == "nothing" else f" (baris judul berisi: {header})"
        if nearest:
            names += f"; nama terdekat yang dikenal: {nearest}"
        if profiles:
            names += f"; tata letak yang dibaca apa adanya: {profiles}"
        return names
    if rule == "FILE_DATE_ORDER":
        return re.sub(r" in (\w+), row (\d+)$", r" di \1, baris \2", detail)
    return detail


def _shown(value: str | None) -> str:
    value = "" if value is None else value.replace("\n", " ")
    return value if len(value) <= MAX_VALUE_CHARS else value[: MAX_VALUE_CHARS - 1] + "…"


def _problem_line(problem: Problem, lang: str) -> str:
    column = problem.header or problem.column_name or ""
    text = message(
        problem.rule, column=column, value=_shown(problem.value),
        detail=_detail(problem.rule, problem.detail, lang), lang=lang,
    ) if problem.rule in RULES else f"{column} {_shown(problem.value)}"
    where = _t(lang, "row", row=problem.row_number)
    if problem.letter:
        where += ", " + _t(lang, "column", letter=problem.letter, header=problem.header)
    return f"{where}: {text}"


def _why(why: str, report: CheckReport, lang: str) -> str:
    """Staging's reason a rule was not checked, in the report's language and with where the
    check looked for the reference rows."""
    if why == "the period is not known":
        return _t(lang, "why.period")
    if why == "tickets of earlier periods are not available":
        return _t(lang, "why.earlier_tickets")
    match = re.fullmatch(r"no (\w+) rows to compare with", why)
    if not match:
        return why
    needed = match[1]
    # Indonesian names the data as HR knows it, and its landing folder
    text = _t(lang, "why.no_rows", source=SOURCE_NAMES.get(needed, needed) if lang == "id" else needed, folder=needed)
    refused = [r for r in report.references if r.file_name.startswith(f"{needed}/") and r.outcome != "LOADED"]
    if report.reference_folder is None:
        return f"{text}: {_t(lang, 'why.no_folder')}"
    if refused:
        return f"{text}: {_t(lang, 'why.refused', files=', '.join(r.file_name for r in refused))}"
    if not any(r.file_name.startswith(f"{needed}/") for r in report.references):
        return f"{text}: {_t(lang, 'why.no_file', folder=report.reference_folder, source=needed)}"
    return text


def _relevant_not_checked(report: CheckReport) -> list[tuple[str, str]]:
    """The not-checked rules that concern the checked file's source."""
    try:
        from pipelines.rules import set_rules

        rules = [*getattr(set_rules, "EMPLOYEE_RULES", []), *getattr(set_rules, "RULES", [])]
        codes = {r.code for r in rules if r.source == report.source}
    except ImportError:
        return list(report.not_checked)
    return [(rule, why) for rule, why in report.not_checked if rule in codes]


def render(report: CheckReport, lang: str = "id") -> str:
    lang = parse_lang(lang)
    f = report.file
    out = [_t(lang, "title", path=report.path), "  " + _t(lang, "source", source=report.source)]
    if report.period:
        origin = _t(lang, f"origin.{report.period_origin}")
        out.append("  " + _t(lang, "period", period=report.period, origin=origin))
    else:
        out.append("  " + _t(lang, "period.unknown"))
    if f.encoding == "XLSX":
        out.append("  " + _t(lang, "format.xlsx"))
    elif f.encoding:
        encoding = {"UTF8": "UTF-8", "WIN1252": "Windows-1252"}.get(f.encoding, f.encoding)
        delimiter = _t(lang, "semicolon") if f.delimiter == ";" else _t(lang, "comma")
        out.append("  " + _t(lang, "format.csv", encoding=encoding, delimiter=delimiter))
    else:
        out.append("  " + _t(lang, "format.unread"))
    if f.outcome != "IGNORED" and f.encoding:
        out.append("  " + _t(lang, "rows", read=f.rows_read, loaded=f.rows_loaded, rejected=f.rows_rejected))

    out.append("")
    if f.outcome == "IGNORED":
        out += [_t(lang, "verdict.ignored"), "  " + _t(lang, "ignored.why")]
    elif f.outcome != "LOADED":
        text = message(f.rule, detail=_detail(f.rule, f.detail, lang), lang=lang) if f.rule in RULES else f.rule
        out += [_t(lang, "verdict.refused"), "  " + _t(lang, "reason", rule=f.rule, text=text),
                "  " + _t(lang, "fix")]
    elif report.run_refused:
        out += [_t(lang, "verdict.refused"), "  " + _t(lang, "run_refused"), "  " + _t(lang, "fix")]
    elif f.rows_rejected:
        out.append(_t(lang, "verdict.rows", rejected=f.rows_rejected, read=f.rows_read))
    elif report.partial:
        out.append(partial_verdict(report.partial, f.rows_loaded, lang))
    elif report.warnings:
        out.append(_t(lang, "verdict.warn", loaded=f.rows_loaded))
    else:
        out.append(_t(lang, "verdict.clean", loaded=f.rows_loaded))

    if report.problems:
        header_row = next((d for rule, d in report.warnings if rule == "NOTICE_HEADER_ROW"), "1")
        out += ["", _t(lang, "problems.refused" if report.refused else "problems", header=header_row)]
        groups: dict[str, list[Problem]] = {}
        for problem in report.problems:
            groups.setdefault(problem.rule, []).append(problem)
        for rule, problems in sorted(groups.items(), key=lambda g: (-len(g[1]), g[1][0].row_number)):
            rows = list(dict.fromkeys(p.row_number for p in problems))
            shown = set(rows[:MAX_ROWS_PER_RULE])
            out.append("  " + _t(lang, "group", rule=rule, count=len(rows)))
            out += ["    " + _problem_line(p, lang) for p in problems if p.row_number in shown]
            if len(rows) > len(shown):
                out.append("    " + _t(lang, "more", more=len(rows) - len(shown)))

    out += partial_lines(report.partial, report.siblings, lang)
    if report.warnings:
        out += ["", _t(lang, "warnings")]
        out += [f"  [{rule}] {message(rule, detail=detail, lang=lang)}" for rule, detail in report.warnings]

    if reference_sources(report.source):
        out.append("")
        if report.reference_folder is None:
            out.append(_t(lang, "references.none"))
        else:
            out.append(_t(lang, "references", folder=report.reference_folder))
            for ref in report.references:
                if ref.outcome == "LOADED":
                    out.append("  " + _t(lang, "ref.loaded", name=ref.file_name, loaded=ref.rows_loaded))
                else:
                    text = message(ref.rule, detail=_detail(ref.rule, ref.detail, lang), lang=lang) \
                        if ref.rule in RULES else ref.rule
                    out.append("  " + _t(lang, "ref.refused", name=ref.file_name, rule=ref.rule, text=text))
            if not report.references:
                out.append("  " + _t(lang, "nothing"))

    out += ["", _t(lang, "not_checked")]
    by_why: dict[str, list[str]] = {}
    for rule, why in _relevant_not_checked(report):
        by_why.setdefault(_why(why, report, lang), []).append(rule)
    out += [f"  [{', '.join(dict.fromkeys(rules))}] {why}" for why, rules in by_why.items()]
    reported = {rule for rules in by_why.values() for rule in rules}
    for needed in REFERENCES.get(report.source, ()):
        rule = CROSS_FILE_RULES.get(needed)
        refs = [r for r in report.references if r.file_name.startswith(f"{needed}/")]
        refused = [r.file_name for r in refs if r.outcome != "LOADED"]
        if rule and rule not in reported and refused and len(refused) < len(refs):
            out.append(f"  [{rule}] " + _t(lang, "nc.partly", files=", ".join(refused)))
    if report.siblings and report.source in KEYS:
        out.append("  " + _t(lang, "nc.duplicate", key=KEYS[report.source], n=report.siblings, source=report.source))
    out.append("  " + _t(lang, "nc.history", months=quality()["row_count_warning"]["recent_periods"]))
    return "\n".join(out)


def check_command(
    file: str, source: str, *, period: str | None = None, reference: str | None = None, lang: str = "id"
) -> int:
    """`kinerja check`: prints the report; returns the exit status of contracts §4."""
    lang = parse_lang(lang)
    report = check_file(
        Path(file), source, period=period, reference=Path(reference) if reference else None
    )
    print(render(report, lang))
    return report.exit_code
