"""Indonesian labels shared by the workbook and the report. Mart values stay as published
(contracts §3); these only explain them."""

from __future__ import annotations

PREDIKAT = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")
# unit_summary column of each predikat's count
PREDIKAT_COLUMN = dict(zip(PREDIKAT, ("sangat_baik", "baik", "butuh_perbaikan", "kurang_misconduct",
                                      "sangat_kurang")))
STATUS = {
    "SCORED": "dinilai lengkap (kedua rating dan predikat)",
    "PARTIAL": "sebagian (satu rating, tanpa predikat)",
    "INSUFFICIENT_DATA": "data tidak cukup (tanpa rating)",
}
RECOMMENDATION_KIND = {
    "TRAINING": "pelatihan",
    "PEMBINAAN": "pembinaan disiplin",
    "REWARD": "kandidat penghargaan",
    "SUPPORT": "pendampingan",
}
COVERAGE = {
    "PRESENT": "ada",
    "MISSING": "tidak ada",
    "INCOMPLETE": "tidak lengkap",
    "REFUSED": "ditolak",
    "LATE": "terlambat",
}
# The sources a unit's staff may need (README "Coverage"), in the order outputs list them.
SOURCES = {
    "employees": "pegawai",
    "attendance": "presensi",
    "rosters": "jadwal shift",
    "service_tickets": "tiket layanan",
    "service_surveys": "survei IKM",
    "traffic_violations": "pelanggaran lalu lintas",
    "area_assignments": "penugasan wilayah",
}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def month_name(period: str) -> str:
    """'2026-10' -> 'Oktober 2026'."""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def month_short(period: str) -> str:
    """'2026-10' -> 'Okt 2026' (chart axes)."""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1][:3]} {year}"
ROLE = {
    "OFFICE": "jabatan kantor",
    "SERVICE_COUNTER": "petugas loket layanan",
    "FIELD_OFFICER": "petugas lapangan",
}
