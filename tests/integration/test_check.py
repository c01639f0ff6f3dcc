"""`kinerja check FILE --source NAME`: one department file staged by the run's own code in a
throwaway warehouse; a report a clerk can read, exit statuses of contracts §4, nothing kept."""

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipelines import check
from pipelines.check import CheckReport, FileOutcome, Problem, check_file, render
from pipelines.errors import UsageError
from pipelines.monthly import run_period
from pipelines.period import Period
from tests.helpers import PNS_1, PNS_2, employee_row, query, write, write_employees

P = "2026-10"
STRANGER = "198811112015021003"  # a valid PNS NIP (R5) of no employee


def kinerja(*args):
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args], capture_output=True, text=True, timeout=300
    )


def nip(i: int) -> str:
    """The i-th of many distinct valid PNS NIPs, to keep a file's few bad rows under R13's 5 %."""
    born = date(1970, 1, 1) + timedelta(days=i)
    return f"{born:%Y%m%d}200501{1 + i % 2}{1 + i % 999:03d}"


def clean_employees(n: int = 40) -> list[str]:
    return [employee_row(nip(i), name=f"Pegawai {i}") for i in range(n)]


def punches(n: int = 100) -> list[str]:
    return [f"{nip(i % 40)},2026-10-{1 + i % 28:02d} 07:{i % 60:02d}" for i in range(n)]


def attendance(landing, *rows, name="a.csv", period=P):
    return write(landing, period, "attendance", name, "\n".join(["nip,punched_at", *rows]) + "\n")


def bad_employees(landing):
    """Row 4: an NIP that arrived as a number; row 7: 31 September."""
    rows = clean_employees()
    rows.insert(2, employee_row("1.98E+17"))
    rows.insert(5, f"{PNS_2},Ani,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,31/09/2026,")
    return write_employees(landing, P, *rows)


# ------------------------------------------------------------------ the command, as users run it


def test_clean_file_is_exit_0_with_an_indonesian_report(landing):
    write_employees(landing, P, *clean_employees())
    path = attendance(landing, *punches())
    done = kinerja("check", str(path), "--source", "attendance")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert f"Pemeriksaan berkas: {path}" in out
    assert "Periode: 2026-10 (dari folder landing berkas)" in out
    assert "Format: CSV, UTF-8" in out
    assert "Baris data: 100 dibaca, 100 akan dimuat, 0 akan ditolak" in out
    assert "HASIL: berkas siap dikirim" in out
    assert "employees/bkpp.csv: dipakai (40 baris)" in out
    assert "Tidak diperiksa:" in out and "Traceback" not in done.stderr


def test_bad_rows_are_exit_1_named_by_row_and_column_in_indonesian(landing):
    path = bad_employees(landing)
    done = kinerja("check", str(path), "--source", "employees")
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "Baris data: 42 dibaca, 40 akan dimuat, 2 akan ditolak" in out
    assert "HASIL: 2 dari 42 baris akan ditolak" in out
    assert "baris 1 = judul kolom" in out
    assert 'baris 4, kolom A (nip): nip "1.98E+17" tersimpan sebagai angka' in out
    assert "format kolom sebagai teks" in out
    assert 'baris 7, kolom H (active_from): active_from "31/09/2026" bukan tanggal yang sah' in out
    assert "[NIP_AS_NUMBER] 1 baris" in out and "[DATE_FORMAT] 1 baris" in out


def test_bad_rows_in_english_with_lang_en(landing):
    path = bad_employees(landing)
    done = kinerja("check", str(path), "--source", "employees", "--lang", "en")
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "Data rows: 42 read, 40 would load, 2 would be rejected" in out
    assert 'row 4, column A (nip): nip "1.98E+17" arrived as a number and has lost digits' in out
    assert "format the column as text" in out
    assert 'row 7, column H (active_from): active_from "31/09/2026" is not a valid date' in out
    assert "baris" not in out


def test_column_named_as_in_the_file_header(landing):
    text = " NIP ;Waktu_Presensi\n" + "\n".join(r.replace(",", ";") for r in punches(60))
    path = write(landing, P, "attendance", "excel.csv", text + "\n1,98E+17;05/10/2026 07:00\n")
    write_employees(landing, P, *clean_employees())
    report = check_file(path, "attendance")
    assert [(p.row_number, p.column_name, p.header, p.letter, p.rule) for p in report.problems] == [
        (62, "nip", "NIP", "A", "NIP_AS_NUMBER")
    ]
    assert 'baris 62, kolom A (NIP): NIP "1,98E+17"' in render(report, "id")
    assert 'pemisah ";" (titik koma)' in render(report, "id")


def test_missing_required_column_is_exit_3_with_the_reason(landing):
    path = write(landing, P, "attendance", "a.csv", f"nip,jam\n{PNS_1},07:00\n")
    done = kinerja("check", str(path), "--source", "attendance")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "berkas akan DITOLAK seluruhnya" in done.stdout
    assert "[FILE_MISSING_COLUMN]" in done.stdout and "kolom wajib 'punched_at'" in done.stdout
    assert "baris judul berisi: nip, jam" in done.stdout
    en = kinerja("check", str(path), "--source", "attendance", "--lang", "en")
    assert en.returncode == 3 and "required column 'punched_at'" in en.stdout
    assert "would be REFUSED" in en.stdout


def test_junk_bytes_are_exit_3_with_the_reason(tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_bytes(b"nip,punched_at\n\x00\x81\xff\xfe,\x00\x00\n")
    done = kinerja("check", str(path), "--source", "attendance", "--lang", "en")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "[FILE_ENCODING]" in done.stdout and "save it as 'CSV UTF-8'" in done.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["{missing}", "--source", "attendance"], "does not exist"),
        (["{file}", "--source", "absensi"], "unknown --source 'absensi'"),
        (["{file}", "--source", "attendance", "--period", "2026-13"], "YYYY-MM"),
        (["{file}", "--source", "attendance", "--period", "oktober"], "YYYY-MM"),
        (["{file}", "--source", "attendance", "--lang", "fr"], "--lang 'fr'"),
        (["{file}", "--source", "attendance", "--reference", "{missing}"], "does not exist"),
        (["{landed}", "--source", "leave"], "--source attendance"),
        (["{landed}", "--source", "attendance", "--period", "2026-11"], "2026-10 folder"),
        (["{file}"], "--source"),
    ],
)
def test_usage_errors_are_exit_2(landing, tmp_path, args, words):
    loose = tmp_path / "a.csv"
    loose.write_text(f"nip,punched_at\n{PNS_1},2026-10-05 07:00\n")
    landed = attendance(landing, f"{PNS_1},2026-10-05 07:00")
    values = {"file": str(loose), "missing": str(tmp_path / "nowhere"), "landed": str(landed)}
    done = kinerja("check", *[a.format(**values) for a in args])
    assert done.returncode == 2, done.stdout + done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr


def test_nothing_is_written_to_the_configured_warehouse(warehouse_url, db, landing):
    path = bad_employees(landing)
    assert kinerja("check", str(path), "--source", "employees").returncode == 1
    assert query(db, "select count(*) from meta.run") == [(0,)]


# ------------------------------------------------------------------ period, references, options


@pytest.fixture
def spy(monkeypatch):
    """Records what check passes to the run's stage_period (and still calls it)."""
    calls = []
    real = check.stage_period

    def stage(period, root, *, url=None, options=None):
        files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        calls.append({"period": str(period), "options": options, "files": files, "url": url})
        return real(period, root, url=url, options=options)

    monkeypatch.setattr(check, "stage_period", stage)
    return calls


def test_period_from_the_landing_path(landing, spy):
    write_employees(landing, P, *clean_employees())
    write(landing, P, "service_catalog", "c.csv", "service_code,service_name,sla_working_days\nKTP,KTP-el,3\n")
    write(landing, P, "leave", "cuti.csv", f"nip,date_from,date_to,leave_type\n{nip(0)},2026-10-01,2026-10-02,CT\n")
    path = attendance(landing, *punches())
    report = check_file(path, "attendance")
    assert (str(report.period), report.period_origin) == (P, "landing")
    [call] = spy
    assert call["period"] == P
    assert call["options"].period_rules and not call["options"].history
    assert not call["options"].require_employees
    # the file itself and only the reference sources attendance needs (leave: who had working days),
    # never other sources
    assert call["files"] == [f"{P}/attendance/a.csv", f"{P}/employees/bkpp.csv", f"{P}/leave/cuti.csv"]
    assert [(r.file_name, r.outcome) for r in report.references] == [
        ("employees/bkpp.csv", "LOADED"), ("leave/cuti.csv", "LOADED")]
    assert report.exit_code == 0


def test_period_from_the_option_for_a_file_outside_a_landing_tree(tmp_path, spy):
    path = tmp_path / "absensi.csv"
    path.write_text("nip,punched_at\n" + "\n".join(punches()) + "\n")
    report = check_file(path, "attendance", period=P)
    assert (str(report.period), report.period_origin) == (P, "option")
    assert spy[0]["period"] == P and spy[0]["options"].period_rules
    assert "Periode: 2026-10 (dari --period)" in render(report, "id")
    assert "Berkas pembanding: tidak ada" in render(report, "id")
    assert "tidak ada baris pegawai sebagai pembanding (folder employees)" in render(report, "id")
    assert "no employees rows to compare with" in render(report, "en")


def test_unknown_period_stages_without_period_rules(tmp_path, spy):
    path = tmp_path / "absensi.csv"
    path.write_text("nip,punched_at\n" + "\n".join(punches()) + "\n")
    report = check_file(path, "attendance")
    assert report.period is None and report.exit_code == 0
    assert spy[0]["options"].period_rules is False and spy[0]["options"].history is False
    assert "Periode: tidak diketahui" in render(report, "id")
    assert "Period: unknown" in render(report, "en")


def test_employees_file_is_checked_requiring_employees(landing, spy):
    report = check_file(bad_employees(landing), "employees")
    assert spy[0]["options"].require_employees is True
    assert spy[0]["files"] == [f"{P}/employees/bkpp.csv"]
    assert report.exit_code == 1


@pytest.mark.parametrize("form", ["root", "period folder"])
def test_reference_folder_as_a_landing_root_or_a_period_folder(landing, tmp_path, form):
    write_employees(landing, P, *clean_employees())
    path = tmp_path / "absensi.csv"
    path.write_text("nip,punched_at\n" + "\n".join(punches()) + "\n")
    if form == "root":
        report = check_file(path, "attendance", period=P, reference=landing)
    else:
        report = check_file(path, "attendance", reference=landing / P)
    assert str(report.period) == P
    assert [(r.file_name, r.outcome) for r in report.references] == [("employees/bkpp.csv", "LOADED")]


def test_reference_root_without_a_period_is_a_usage_error(landing, tmp_path):
    write_employees(landing, P, *clean_employees())
    path = tmp_path / "absensi.csv"
    path.write_text("nip,punched_at\n" + "\n".join(punches()) + "\n")
    with pytest.raises(UsageError, match="give --period"):
        check_file(path, "attendance", reference=landing)


def test_a_refused_reference_file_is_named_but_its_problems_are_not_listed(landing):
    write(landing, P, "employees", "bkpp.csv", "nip,nama\n" + PNS_1 + ",Budi\n")
    path = attendance(landing, *punches(), "1.98E+17,2026-10-05 07:00")
    report = check_file(path, "attendance")
    assert [(r.file_name, r.outcome, r.rule) for r in report.references] == [
        ("employees/bkpp.csv", "REJECTED", "FILE_MISSING_COLUMN")
    ]
    assert {p.rule for p in report.problems} <= {"NIP_AS_NUMBER", "UNKNOWN_EMPLOYEE", "EMPLOYEE_FILE_REFUSED"}
    assert all(p.row_number == 102 for p in report.problems if p.rule == "NIP_AS_NUMBER")
    text = render(report, "id")
    assert "employees/bkpp.csv: akan ditolak [FILE_MISSING_COLUMN]" in text
    assert "1.98E+17" in text and text.count("FILE_MISSING_COLUMN") == 1


def test_a_file_in_a_landing_tree_is_checked_against_its_periods_employees(landing):
    write_employees(landing, P, *clean_employees())
    write_employees(landing, "2026-09", employee_row(STRANGER), *clean_employees())  # another month
    path = attendance(landing, *punches(), f"{STRANGER},2026-10-05 07:00")
    report = check_file(path, "attendance")
    assert [(p.row_number, p.column_name, p.value, p.rule) for p in report.problems] == [
        (102, "nip", STRANGER, "UNKNOWN_EMPLOYEE")
    ]
    assert report.exit_code == 1
    assert f'baris 102, kolom A (nip): nip "{STRANGER}" bukan pegawai yang aktif' in render(report, "id")


def test_hidden_or_lock_file_would_not_be_read(tmp_path):
    path = tmp_path / "~$absensi.csv"
    path.write_text("nip,punched_at\n" + "\n".join(punches()) + "\n")
    report = check_file(path, "attendance", period=P)
    assert report.file.outcome == "IGNORED" and report.exit_code == 3
    assert "tidak akan dibaca" in render(report, "id")


def test_throwaway_folders_are_deleted_also_on_errors(landing, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path = bad_employees(landing)
    assert check_file(path, "employees").exit_code == 1
    assert list(scratch.iterdir()) == []

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(check, "stage_period", broken)
    with pytest.raises(RuntimeError):
        check_file(path, "employees")
    assert list(scratch.iterdir()) == []


# ------------------------------------------------------------------ check and run agree


def test_check_and_run_reject_the_same_rows(warehouse_url, db, landing):
    employees = clean_employees()
    employees.insert(3, employee_row("1.98E+17"))
    employees.insert(9, f"{PNS_2},Ani,BKPP,PNS,PELAKSANA,OFFICE,REGULAR,31/09/2026,")
    write_employees(landing, P, *employees)
    rows = punches()
    rows.insert(10, "1.98E+17,2026-10-05 07:00")
    rows.insert(20, f"{nip(1)},2026-10-32 07:00")
    rows.insert(30, f"{STRANGER},2026-10-06 07:00")
    rows.insert(40, f"{nip(2)},2026-09-15 07:00")
    attendance(landing, *rows)
    too_many = [f"{nip(i)},2026-10-05 07:00" for i in range(10)] + ["1.98E+17,2026-10-05 07:00"] * 3
    attendance(landing, *too_many, name="b.csv")

    done = kinerja("run", "--period", P, "--landing", str(landing))
    assert done.returncode == 0, done.stderr
    for source, name in [("employees", "bkpp.csv"), ("attendance", "a.csv"), ("attendance", "b.csv")]:
        file_name = f"{source}/{name}"
        ran = set(query(
            db, "select row_number, column_name, rule from meta.rejected_row where file_name = %s", (file_name,)
        ))
        [run_file] = query(
            db, "select outcome, rule, rows_read, rows_loaded, rows_rejected from meta.source_file"
                " where file_name = %s", (file_name,)
        )
        report = check_file(landing / P / source / name, source)
        f = report.file
        assert (f.outcome, f.rule, f.rows_read, f.rows_loaded, f.rows_rejected) == run_file, file_name
        if f.outcome == "LOADED":
            assert {(p.row_number, p.column_name, p.rule) for p in report.problems} == ran, file_name
            assert report.exit_code == (1 if ran else 0)
        else:
            assert report.exit_code == 3 and ran == set()
    assert query(db, "select count(*) from meta.rejected_row where file_name = 'attendance/a.csv'")[0][0] >= 2


# ------------------------------------------------------------------ the report itself


def _report(problems, **file):
    outcome = FileOutcome("attendance/a.csv", "LOADED", "UTF8", ",", **file)
    return CheckReport(Path("/x/a.csv"), "attendance", None, None, None, outcome, problems)


def test_many_identical_problems_are_listed_up_to_a_limit_with_the_count():
    problems = [Problem(r, "punched_at", "2026-10-32", "DATETIME_FORMAT", None, "waktu", "B") for r in range(2, 122)]
    problems.append(Problem(5, "nip", "1.98E+17", "NIP_AS_NUMBER", None, "nip", "A"))
    report = _report(problems, rows_read=2000, rows_loaded=1880, rows_rejected=120)
    text = render(report, "id")
    assert "[DATETIME_FORMAT] 120 baris:" in text
    assert text.count('"2026-10-32" bukan tanggal dan jam yang sah') == check.MAX_ROWS_PER_RULE
    assert f"... dan {120 - check.MAX_ROWS_PER_RULE} baris lain dengan masalah yang sama" in text
    assert "[NIP_AS_NUMBER] 1 baris:" in text and "baris 5, kolom A (nip)" in text
    assert text.index("[DATETIME_FORMAT]") < text.index("[NIP_AS_NUMBER]")  # the larger group first
    assert f"... and {120 - check.MAX_ROWS_PER_RULE} more rows" in render(report, "en")
    assert report.exit_code == 1


def test_render_rejects_an_unknown_language():
    with pytest.raises(UsageError):
        render(_report([]), "fr")


def test_other_files_of_the_same_source_and_partly_refused_references_are_named(landing):
    write_employees(landing, P, *clean_employees())
    write(landing, P, "employees", "dinkes.csv", "nip,nama\n" + PNS_2 + ",Ani\n")
    write(landing, P, "attendance", "b.csv", "nip,punched_at\n" + "\n".join(punches(5)) + "\n")
    path = attendance(landing, *punches())
    report = check_file(path, "attendance")
    assert report.siblings == 1 and report.exit_code == 0
    assert [(r.file_name, r.outcome) for r in report.references] == [
        ("employees/bkpp.csv", "LOADED"), ("employees/dinkes.csv", "REJECTED")
    ]
    text = render(report, "en")
    assert "[UNKNOWN_EMPLOYEE] only partly checked: employees/dinkes.csv would be refused" in text
    assert "DUPLICATE_KEY" not in text  # attendance has no key
    employees = check_file(landing / P / "employees" / "bkpp.csv", "employees")
    assert employees.siblings == 1
    assert "[DUPLICATE_KEY] nip yang sama di 1 berkas employees lain" in render(employees, "id")


def test_throwaway_server_with_a_long_path_leaves_no_socket_folder(tmp_path, monkeypatch):
    deep = tmp_path / ("d" * 60)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    with check.throwaway_warehouse() as url:
        socket_dir = check._socket_dir(url)
        assert socket_dir is not None and socket_dir.is_dir()
    assert not socket_dir.exists() and list(deep.iterdir()) == []


# ------------------------------------------------------------------ a file too partial for its unit


def candisari(landing, covered: int, staff: int = 64):
    """A unit of `staff` employees and an attendance file with punches of the first `covered`."""
    write_employees(landing, P, *(employee_row(nip(i), unit="KEC_CANDISARI", name=f"Pegawai {i}") for i in range(staff)))
    days = [d for d in range(1, 31) if date(2026, 10, d).isoweekday() <= 5]
    return attendance(landing, *(f"{nip(i)},2026-10-{d:02d} 07:{i % 30:02d}" for i in range(covered) for d in days),
                      name="candisari.csv")


def test_a_file_covering_15_of_64_employees_warns_that_the_unit_would_lose_its_ratings(warehouse_url, db, landing):
    path = candisari(landing, covered=15)
    done = kinerja("check", str(path), "--source", "attendance")
    assert done.returncode == 0, done.stdout + done.stderr  # every row loads: a warning, not a rejection
    out = done.stdout
    assert "berkas siap dikirim" not in out and "BELUM LENGKAP untuk unit KEC_CANDISARI" in out
    assert "49 dari 64 pegawai unit KEC_CANDISARI yang punya hari kerja tidak punya satu pun presensi" in out
    assert "hanya 15 dari 64 pegawai unit ini ada di berkas" in out
    assert "kirim ekspor lengkap presensi semua pegawai unit KEC_CANDISARI" in out
    assert "lebih dari 30 % pegawai unit" in out

    english = render(check_file(path, "attendance"), "en")
    assert "49 of the 64 employees of unit KEC_CANDISARI with working days have no punch at all" in english
    assert "send the full attendance export of all employees of unit KEC_CANDISARI" in english

    run_period(Period.parse(P), landing)  # the run decides as the check said
    assert query(db, "select status, reason from meta.source_coverage"
                     " where unit_code = 'KEC_CANDISARI' and source = 'attendance'") == [
        ("INCOMPLETE", "49 dari 64 pegawai yang punya hari kerja tidak punya presensi sama sekali"
                       " (ekspor tidak lengkap?)")]


def test_a_file_covering_enough_of_the_unit_is_ready_and_another_file_beside_it_is_named(landing):
    assert check_file(candisari(landing, covered=46), "attendance").partial == []  # 18 of 64: under 30 %
    path = candisari(landing, covered=15)
    attendance(landing, f"{nip(20)},2026-10-01 07:00", name="mesin2.csv")
    text = render(check_file(path, "attendance"), "id")
    assert "1 berkas attendance lain di folder landing tidak ikut dihitung" in text
