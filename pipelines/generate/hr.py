"""BKPP's extracts: employees master data, leave, shift rosters and the holidays override."""

from __future__ import annotations

from pipelines.generate.city import REGULAR, SHIFT
from pipelines.generate.people import SHIFTS, Person
from pipelines.generate.periods import Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, CSV_BOM, EXCEL_CSV, XLSX, Extract

EMPLOYEE_COLUMNS = ("nip", "name", "unit_code", "unit_name", "employment_type", "job_type", "role", "schedule",
                    "active_from", "active_to")
# The kecamatan offices keep their staff list in Excel: aliases, padded and mixed-case headers.
KECAMATAN_EMPLOYEES = EXCEL_CSV.named(
    nip=" NIP ", name="Nama", unit_code="kode_unit", unit_name="Nama_Unit", employment_type="status_pegawai",
    job_type="jenis_jabatan", role="peran", schedule="jadwal", active_from="tmt_aktif", active_to="tmt_selesai")
# The hospital's own HR office sends a workbook.
RSUD_EMPLOYEES = XLSX.named(nip="NIP", name="Nama", unit_code="Kode_OPD", employment_type="Status_Pegawai",
                            job_type="Jenis_Jabatan", role="Peran", schedule="Jadwal", active_from="TMT_Aktif",
                            active_to="TMT_Selesai")
LEAVE_COLUMNS = ("nip", "date_from", "date_to", "leave_type")
OFFICIAL_TRAVEL = ("DL", "DIKLAT", "TB")  # recorded by the attendance system, not the leave desk
ROSTER_COLUMNS = ("nip", "shift_date", "shift_start", "shift_end")
RSUD_ROSTER = EXCEL_CSV.named(nip=" NIP ", shift_date="Tanggal", shift_start="Jam_Mulai", shift_end="Jam_Selesai")
# BKPP's TPP list: kelas jabatan and the base allowance of that class (Rupiah a month; the amounts
# are illustrative, the real ones are set each year by Peraturan Wali Kota), plus a personal part.
TPP_CLASS = {"JPT": (14, 18_000_000), "ADMINISTRATOR": (12, 10_500_000), "PENGAWAS": (9, 6_750_000),
             "FUNGSIONAL": (8, 5_250_000), "PELAKSANA": (6, 3_900_000)}
TPP_COLUMNS = ("nip", "tpp_base_rp", "job_class")
_CLOCK = {code: (f"{start // 3600:02d}:00", f"{end // 3600 % 24:02d}:00") for code, (start, end) in SHIFTS.items()}


def employees(world: World, month: Month) -> list[Extract]:
    main, kecamatan, rsud = [], [], []
    for p in world.active(month):
        if p.unit.kecamatan:
            # REGULAR is the default: the kecamatan sheet leaves it blank.
            kecamatan.append(_employee(p, None if p.schedule == REGULAR else p.schedule))
        else:
            (rsud if p.unit.code == "RSUD" else main).append(_employee(p, p.schedule))
    return [
        Extract("employees", "pegawai_bkpp", CSV, month, EMPLOYEE_COLUMNS, main),
        Extract("employees", "pegawai_kecamatan", KECAMATAN_EMPLOYEES, month, EMPLOYEE_COLUMNS, kecamatan),
        Extract("employees", "pegawai_rsud", RSUD_EMPLOYEES, month, EMPLOYEE_COLUMNS, rsud),
    ]


def _employee(p: Person, schedule: str | None) -> tuple:
    return (p.nip, p.name, p.unit.code, p.unit.name, p.employment_type, p.job_type, p.role, schedule,
            p.active_from, p.active_to)


def leave(world: World, month: Month) -> list[Extract]:
    ranges = sorted(world.leave_in(month), key=lambda x: (x.date_from, x.person.nip))
    rows = [(x.person.nip, x.date_from, x.date_to, x.leave_type) for x in ranges]
    return [
        Extract("leave", "cuti_bkpp", XLSX.named(date_from="tanggal_mulai", date_to="tanggal_selesai",
                                                 leave_type="jenis_cuti"),
                month, LEAVE_COLUMNS, [r for r in rows if r[3] not in OFFICIAL_TRAVEL]),
        Extract("leave", "dinas_luar", CSV_BOM, month, LEAVE_COLUMNS, [r for r in rows if r[3] in OFFICIAL_TRAVEL]),
    ]


def rosters(world: World, month: Month) -> list[Extract]:
    """Planned shifts of every SHIFT employee; leave does not remove a planned shift (it excuses it)."""
    by_unit: dict[str, list[tuple]] = {"RSUD": [], "DISHUB": []}
    workers = [p for p in world.active(month) if p.schedule == SHIFT]
    for day in month.days():
        for p in workers:
            if (code := p.shift_on(day)) is not None:
                by_unit[p.unit.code].append((p.nip, day, *_CLOCK[code]))
    return [
        Extract("rosters", "jadwal_dishub", CSV, month, ROSTER_COLUMNS, by_unit["DISHUB"]),
        Extract("rosters", "jadwal_rsud", RSUD_ROSTER, month, ROSTER_COLUMNS, by_unit["RSUD"]),
    ]


def tpp_base(world: World, month: Month) -> list[Extract]:
    """Each employee's TPP base allowance for the month (the same every month of the window)."""
    rows = []
    for p in world.active(month):
        job_class, amount = TPP_CLASS[p.job_type]
        rows.append((p.nip, amount + int(p.nip[-3:]) % 8 * 125_000, str(job_class)))
    return [Extract("tpp_base", "tpp_bkpp", CSV.named(tpp_base_rp="pagu_tpp", job_class="kelas_jabatan"),
                    month, TPP_COLUMNS, rows)]


def holidays(world: World, month: Month) -> list[Extract]:
    """Only in the override month: BKPP lists the national days off plus its own."""
    if month != world.holiday_override:
        return []
    days = {**world.calendar.national, **world.calendar.local_days}
    rows = [(d, days[d]) for d in sorted(days) if month.first <= d <= month.last]
    return [Extract("holidays", "libur_bkpp", CSV, month, ("holiday_date", "description"), rows)]
