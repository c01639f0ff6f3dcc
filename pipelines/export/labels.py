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
# rating_disagreement (R7): the supervisor's SKP rating and the data's are far apart.
DISAGREEMENT = "berbeda jauh dari rating objektif: perlu ditinjau bersama atasan (tanda keadilan, bukan sanksi)"
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
    "skp_ratings": "penilaian SKP",
}


def number(value, places: int | None = 1) -> str:
    """Indonesian number: decimal comma, thousands dot (1.234,5). The one formatter of numbers
    shown to HR (report, explain, coverage reasons). places None: as many as the value has
    (a threshold of rules.yml: 3, 0,95, 7,0)."""
    if places is None:
        places = len(repr(value).partition(".")[2]) if isinstance(value, float) else 0
    text = f"{value:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value, places: int = 1) -> str:
    """A share (0.9885) as an Indonesian percentage (98,9 %)."""
    return f"{number(value * 100, places)} %"


def rupiah(value) -> str:
    """Whole rupiah: Rp 1.234.567."""
    return f"Rp {number(value, 0)}"


# Every source by the name HR knows it by (coverage reasons, explain).
SOURCE_NAMES = {**SOURCES, "leave": "cuti/izin", "holidays": "hari libur", "tpp_base": "TPP dasar",
                "service_catalog": "katalog layanan"}
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
