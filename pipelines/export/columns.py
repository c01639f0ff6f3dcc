"""Every column of the HR workbook: its Indonesian header, the mart column it shows, what it
means, its unit and rule, and how a spreadsheet should format it. The workbook, the CSV files and
the Kamus Kolom sheet are all built from these lists, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.export.labels import COVERAGE, RECOMMENDATION_KIND, SOURCES, STATUS

# The coverage status codes, explained (Kamus Kolom).
_CODES = ", ".join(f"{code} = {label}" for code, label in COVERAGE.items())

# Spreadsheet number formats by kind of value; rates are fractions shown as percent.
FORMATS = {"nip": "@", "int": "#,##0", "pct": "0.00%", "dec2": "0.00", "dec4": "0.0000"}


def rule_words(rules: dict) -> dict[str, str]:
    """The thresholds that column meanings quote ({ikm_bands} ...), worded from the rules the
    period was published with, so the Kamus Kolom sheet never shows another period's bands."""
    bands = sorted(rules["ikm"]["categories"], key=lambda c: -c["from"])
    return {
        "ikm_bands": "; ".join(f"{c['category']} ≥ {c['from']:.2f}".replace(".", ",") for c in bands[:-1])
                     + f"; {bands[-1]['category']} di bawahnya",
        "baseline_months": str(rules["hasil_kerja"]["field_officer"]["baseline_months"]),
        "counted": " dan ".join(rules["hasil_kerja"]["field_officer"]["counted_detections"]),
        "predikat_values": ", ".join(f"{name} {value}" for name, value in rules["predikat"]["values"].items()),
    }


@dataclass(frozen=True)
class Column:
    header: str
    origin: str | None  # schema.table.column shown, or None for a label the export derives
    meaning: str
    unit: str = ""
    rule: str = ""
    kind: str = "text"  # a FORMATS key, text, bool, or kpi (the format of the row's kpi_code)
    width: int = 14
    labels: dict[str, str] = field(default_factory=dict)  # derived: the label of the column before


def _sc(column: str, header: str, meaning: str, unit: str = "", rule: str = "", kind: str = "text",
        width: int = 14) -> Column:
    return Column(header, f"mart.employee_scorecard.{column}", meaning, unit, rule, kind, width)


def _us(column: str, header: str, meaning: str, unit: str = "", rule: str = "", kind: str = "int",
        width: int = 12) -> Column:
    return Column(header, f"mart.unit_summary.{column}", meaning, unit, rule, kind, width)


IDENTITY = [
    _sc("period", "Periode", "bulan penilaian, YYYY-MM", width=9),
    _sc("nip", "NIP", "Nomor Induk Pegawai, 18 angka (disimpan sebagai teks)", kind="nip", width=21, rule="R5"),
    _sc("name", "Nama", "nama pegawai menurut data BKPP", width=28),
    _sc("unit_code", "Kode Unit", "kode unit kerja", width=16),
]

KARTU_SKOR = [  # predikat and status first after who it is: what HR looks for, on the printed page
    *IDENTITY,
    _sc("predikat", "Predikat", "predikat kinerja matriks PermenPANRB 6/2022; hanya bila kedua rating ada",
        rule="R11", width=18),
    _sc("predikat_value", "Nilai Predikat", "nilai angka predikat (Peraturan BKN 3/2023): {predikat_values}", "angka", "R11", "int", 9),
    _sc("status", "Status Penilaian", "SCORED, PARTIAL atau INSUFFICIENT_DATA", width=18),
    Column("Arti Status", None, "arti status penilaian dalam bahasa Indonesia", width=30, labels=STATUS),
    _sc("status_reason", "Alasan Status", "mengapa tidak dinilai lengkap: sumber data dan cakupannya,"
        " hari kerja terlalu sedikit, tiket terlalu sedikit, tanpa baseline", width=60),
    _sc("unit_name", "Nama Unit", "nama unit kerja", width=28),
    _sc("job_type", "Jenis Jabatan", "JPT, ADMINISTRATOR, PENGAWAS, PELAKSANA, FUNGSIONAL …", width=14),
    _sc("role", "Peran", "OFFICE (kantor), SERVICE_COUNTER (loket layanan), FIELD_OFFICER (petugas lapangan)",
        rule="R7", width=16),
    _sc("employment_type", "Status Kepegawaian", "PNS atau PPPK", width=10),
    _sc("schedule", "Jadwal", "REGULAR (jam kantor) atau SHIFT (jadwal shift)", rule="R1", width=10),
    _sc("workdays_expected", "Hari Kerja", "hari kerja selama aktif pada periode", "hari", "R1", "int", 9),
    _sc("days_present", "Hadir", "hari kerja (bukan cuti) dengan presensi", "hari", "R2", "int", 8),
    _sc("days_excused", "Cuti/Izin", "hari kerja yang tertutup cuti atau izin", "hari", "R2", "int", 9),
    _sc("days_absent_unexcused", "TK", "hari kerja tanpa keterangan: bukan cuti dan tanpa presensi",
        "hari", "R2", "int", 6),
    _sc("late_count", "Terlambat (TL)", "jumlah kejadian terlambat masuk (TL1–TL4)", "kali", "R2", "int", 10),
    _sc("early_leave_count", "Pulang Cepat (PSW)", "jumlah kejadian pulang sebelum waktunya (PSW1–PSW4)",
        "kali", "R2", "int", 11),
    _sc("late_minutes", "Menit Terlambat", "jumlah menit terlambat yang terukur", "menit", "R2", "int", 10),
    _sc("attendance_rate", "Tingkat Kehadiran", "hadir / (hari kerja − cuti/izin); kosong bila penyebut 0"
        " atau presensi unit tidak ada", "persen (pecahan 0–1 di mart)", "R2", "pct", 11),
    _sc("tpp_deduction_pct", "Potongan TPP (%)", "potongan Tambahan Penghasilan Pegawai dari TL, PSW dan TK",
        "persen", "R3", "dec2", 11),
    _sc("tpp_base_rp", "TPP Dasar (Rp)", "TPP sebelum potongan menurut daftar TPP BKPP (tpp_base); kosong bila"
        " tidak dikirim", "rupiah", "R3", "int", 13),
    _sc("tpp_deduction_rp", "Potongan TPP (Rp)", "TPP dasar × potongan TPP (%), dibulatkan ke rupiah; kosong bila"
        " TPP dasar atau presensi tidak ada", "rupiah", "R3", "int", 12),
    _sc("tpp_payable_rp", "TPP Dibayar (Rp)", "TPP dasar − potongan; kosong bila salah satunya tidak ada", "rupiah",
        "R3", "int", 13),
    _sc("tk_run_trailing", "TK Berturut di Akhir", "hari TK berturut-turut di akhir periode (berlanjut ke"
        " periode berikutnya)", "hari", "R3", "int", 10),
    _sc("unexcused_days_ytd", "TK Tahun Berjalan", "hari TK sejak Januari sampai periode ini", "hari", "R4",
        "int", 10),
    _sc("discipline_flag", "Status Disiplin", "tingkat hukuman disiplin yang patut ditinjau (PP 94/2021,"
        " PNS saja; saran, bukan keputusan); kosong bila tidak ada", rule="R4", width=22),
    _sc("tickets_completed", "Tiket Selesai", "tiket layanan selesai pada periode", "tiket", "R9", "int", 9),
    _sc("sla_met_rate", "Kepatuhan SLA", "tiket selesai dalam standar waktu layanan / tiket selesai",
        "persen (pecahan 0–1 di mart)", "R9", "pct", 10),
    _sc("ikm", "IKM", "Indeks Kepuasan Masyarakat dari survei atas tiket pegawai", "skor 25–100", "R8",
        "dec2", 8),
    _sc("ikm_category", "Kategori IKM", "{ikm_bands}", rule="R8", width=9),
    _sc("ikm_responses", "Responden IKM", "jumlah jawaban survei", "responden", "R8", "int", 10),
    _sc("assigned_days", "Hari Penugasan", "hari kalender bertugas di wilayah (petugas lapangan)", "hari",
        "R10", "int", 10),
    _sc("area_violation_change_pct", "Perubahan Pelanggaran (%)", "perubahan pelanggaran per hari di wilayah"
        " tugas terhadap baseline {baseline_months} bulan sebelumnya (dihitung: {counted}; catatan PATROL"
        " petugas sendiri tidak);"
        " negatif = membaik", "persen", "R10", "dec2", 12),
    _sc("rating_perilaku", "Rating Perilaku", "Di Atas / Sesuai / Di Bawah Ekspektasi; kosong bila data tidak"
        " cukup", rule="R6", width=20),
    _sc("rating_hasil_kerja", "Rating Hasil Kerja", "Di Atas / Sesuai / Di Bawah Ekspektasi: yang objektif bila"
        " peran memilikinya dan datanya cukup, selain itu penilaian SKP atasan; kosong bila keduanya tidak ada",
        rule="R7", width=20),
    _sc("rating_hasil_kerja_basis", "Dasar Hasil Kerja", "OBJEKTIF (dari data layanan atau wilayah) atau ATASAN"
        " (penilaian SKP atasan)", rule="R7", width=11),
    _sc("rating_hasil_kerja_objektif", "Hasil Kerja Objektif", "rating dari data: SLA dan IKM (loket), perubahan"
        " pelanggaran wilayah (lapangan); kosong untuk jabatan kantor", rule="R7", width=20),
    _sc("rating_hasil_kerja_atasan", "Hasil Kerja SKP Atasan", "rating hasil kerja SKP dari atasan (skp_ratings)",
        rule="R7", width=20),
    _sc("rating_perilaku_atasan", "Perilaku SKP Atasan", "rating perilaku kerja SKP dari atasan, ditampilkan saja;"
        " rating perilaku di atas tetap dari presensi", rule="R6", width=20),
    _sc("rating_disagreement", "Selisih Besar", "TRUE bila rating objektif dan rating atasan berjarak dua kategori"
        " (Di Atas vs Di Bawah): tanda untuk ditinjau, bukan sanksi; kosong bila tidak ada keduanya", rule="R7",
        kind="bool", width=9),
    _sc("skp_evaluator_nip", "NIP Penilai", "NIP atasan yang memberi penilaian SKP", kind="nip", width=21),
]

# kpi_code -> (Indonesian name, unit, number format of its value)
KPI = {
    "WORKDAYS_EXPECTED": ("Hari kerja", "hari", "int"),
    "DAYS_PRESENT": ("Hari hadir", "hari", "int"),
    "DAYS_EXCUSED": ("Hari cuti/izin", "hari", "int"),
    "DAYS_ABSENT_UNEXCUSED": ("Hari tanpa keterangan (TK)", "hari", "int"),
    "LATE_COUNT": ("Terlambat (TL)", "kali", "int"),
    "EARLY_LEAVE_COUNT": ("Pulang cepat (PSW)", "kali", "int"),
    "LATE_MINUTES": ("Menit terlambat", "menit", "int"),
    "ATTENDANCE_RATE": ("Tingkat kehadiran", "persen", "pct"),
    "TPP_DEDUCTION_PCT": ("Potongan TPP", "persen", "dec2"),
    "UNEXCUSED_DAYS_YTD": ("TK tahun berjalan", "hari", "int"),
    "TICKETS_COMPLETED": ("Tiket selesai", "tiket", "int"),
    "SLA_MET_RATE": ("Kepatuhan SLA", "persen", "pct"),
    "IKM": ("Indeks Kepuasan Masyarakat", "skor 25–100", "dec2"),
    "NRR_U6": ("NRR unsur kompetensi pelaksana (U6)", "skor 1–4", "dec4"),
    "NRR_U7": ("NRR unsur perilaku pelaksana (U7)", "skor 1–4", "dec4"),
    "AREA_VIOLATION_CHANGE_PCT": ("Perubahan pelanggaran wilayah", "persen", "dec2"),
    "HASIL_KERJA_GAP": ("Selisih rating objektif dan SKP atasan", "kategori", "int"),
    "TPP_DEDUCTION_RP": ("Potongan TPP", "rupiah", "int"),
}


def _kpi(column: str, header: str, meaning: str, kind: str = "text", width: int = 14) -> Column:
    return Column(header, f"mart.employee_kpi.{column}", meaning, kind=kind, width=width)


RINCIAN_KPI = [
    *IDENTITY,
    _kpi("kpi_code", "Kode KPI", "kode indikator (daftar di bawah, Lembar 'Rincian KPI (kode)')", width=26),
    Column("Nama KPI", None, "nama indikator dalam bahasa Indonesia", width=30,
           labels={code: name for code, (name, _, _) in KPI.items()}),
    _kpi("value", "Nilai", "nilai indikator (format mengikuti kodenya)", "kpi", 10),
    _kpi("numerator", "Pembilang", "pembilang nilai, bila nilai adalah rasio", width=10),
    _kpi("denominator", "Penyebut", "penyebut nilai, bila nilai adalah rasio", width=10),
    _kpi("target", "Target", "ambang yang menentukan rating", width=34),
    _kpi("sufficient", "Data Cukup", "TRUE bila data cukup untuk menilai berdasarkan indikator ini", "bool", 9),
    _kpi("rule", "Aturan", "aturan domain (R1–R12) yang menghitungnya", width=9),
    _kpi("sources", "Sumber Data", "jenis berkas sumber", width=26),
    _kpi("note", "Catatan", "keterangan tambahan (cakupan data, rincian pembilang/penyebut)", width=50),
]

REKOMENDASI = [
    *IDENTITY,
    Column("Jenis", "mart.recommendation.kind", "TRAINING, PEMBINAAN, REWARD atau SUPPORT", rule="R12", width=11),
    Column("Arti Jenis", None, "arti jenis rekomendasi", width=20, labels=RECOMMENDATION_KIND),
    Column("Kode", "mart.recommendation.code", "kode rekomendasi", rule="R12", width=22),
    Column("Alasan", "mart.recommendation.reason", "alasan dengan angka yang mendasarinya", width=90),
]

RINGKASAN = [
    _us("period", "Periode", "bulan penilaian", kind="text", width=9),
    _us("unit_code", "Kode Unit", "kode unit kerja", kind="text", width=16),
    _us("unit_name", "Nama Unit", "nama unit kerja", kind="text", width=28),
    _us("headcount", "Jumlah Pegawai", "pegawai aktif pada periode", "orang"),
    _us("scored", "SCORED", "pegawai dinilai lengkap (predikat ada)", "orang"),
    _us("partial", "PARTIAL", "pegawai dengan satu rating saja", "orang"),
    _us("insufficient_data", "INSUFFICIENT_DATA", "pegawai tanpa rating karena data tidak cukup", "orang",
        width=14),
    _us("sangat_baik", "Sangat Baik", "pegawai berpredikat Sangat Baik", "orang", "R11"),
    _us("baik", "Baik", "pegawai berpredikat Baik", "orang", "R11"),
    _us("butuh_perbaikan", "Butuh Perbaikan", "pegawai berpredikat Butuh Perbaikan", "orang", "R11"),
    _us("kurang_misconduct", "Kurang/Misconduct", "pegawai berpredikat Kurang/Misconduct", "orang", "R11"),
    _us("sangat_kurang", "Sangat Kurang", "pegawai berpredikat Sangat Kurang", "orang", "R11"),
    _us("mean_attendance_rate", "Rata-rata Kehadiran", "rata-rata tingkat kehadiran pegawai yang presensinya"
        " dihitung", "persen (pecahan 0–1 di mart)", "R2", "pct"),
    _us("tickets_completed", "Tiket Selesai", "semua tiket layanan unit yang selesai", "tiket", "R9"),
    _us("sla_met_rate", "Kepatuhan SLA", "tiket unit selesai dalam standar waktu / tiket selesai",
        "persen (pecahan 0–1 di mart)", "R9", "pct"),
    _us("ikm", "IKM Unit", "IKM atas semua jawaban survei unit", "skor 25–100", "R8", "dec2"),
    _us("ikm_responses", "Responden IKM", "jumlah jawaban survei unit", "responden", "R8"),
    _us("rating_disagreements", "Selisih Besar Rating", "pegawai yang rating objektif dan SKP atasannya berjarak"
        " dua kategori (untuk ditinjau)", "orang", "R7"),
    _us("missing_sources", "Sumber Tidak Lengkap", "sumber data yang tidak PRESENT bagi unit, dengan"
        f" statusnya (kode sumber dan kode status: {_CODES})", kind="text", width=30),
    *[Column(f"Cakupan: {label}", "meta.source_coverage.status", f"status data {source} unit (meta.source_coverage):"
             f" {_CODES}; kosong bila tidak diperlukan pegawai unit",
             rule="§5", width=12) for source, label in SOURCES.items()],
    Column("Keterangan Cakupan", "meta.source_coverage.reason", "alasan setiap status selain PRESENT", width=60),
]

def _same(columns: list[Column], *fields: str) -> list[Column]:
    """The columns of another sheet that show these mart fields, in this order (one definition each)."""
    by_field = {c.origin.split(".")[-1]: c for c in columns if c.origin and c.origin.startswith("mart.")}
    return [by_field[f] for f in fields]


TINDAK_LANJUT = [
    *_same(KARTU_SKOR, "unit_code"),
    Column("Jenis", "mart.recommendation.kind", "PEMBINAAN, SUPPORT, TRAINING atau REWARD (urutan daftar)",
           rule="R12", width=11),
    Column("Tindak Lanjut", None, "arti jenis rekomendasi", width=20, labels=RECOMMENDATION_KIND),
    *_same(KARTU_SKOR, "nip", "name"),
    Column("Kode", "mart.recommendation.code", "kode rekomendasi", rule="R12", width=20),
    Column("Alasan", "mart.recommendation.reason", "alasan dengan angka yang mendasarinya", width=70),
    *_same(KARTU_SKOR, "days_absent_unexcused", "late_count", "early_leave_count", "tpp_deduction_pct",
           "unexcused_days_ytd", "sla_met_rate", "ikm", "predikat"),
]

PERBANDINGAN_UNIT = [
    *_same(RINGKASAN, "unit_code", "unit_name", "headcount", "mean_attendance_rate"),
    Column("TL per Pegawai", "rata-rata mart.employee_scorecard.late_count", "rata-rata kejadian terlambat per"
           " pegawai yang presensinya dihitung", "kali", "R2", "dec2", 10),
    Column("PSW per Pegawai", "rata-rata mart.employee_scorecard.early_leave_count", "rata-rata kejadian pulang"
           " cepat per pegawai yang presensinya dihitung", "kali", "R2", "dec2", 10),
    Column("Rata-rata Potongan TPP (%)", "rata-rata mart.employee_scorecard.tpp_deduction_pct", "rata-rata"
           " potongan TPP pegawai", "persen", "R3", "dec2", 12),
    *_same(RINGKASAN, "sla_met_rate", "ikm", "missing_sources"),
    Column("Tidak Lengkap ≥ 2 Bulan Berturut", "meta.source_coverage.status", "sumber yang tidak PRESENT pada"
           " dua periode terbit berturut-turut atau lebih sampai periode ini: tagih unitnya", rule="§5", width=40),
]

# sheet name -> columns, in workbook order (Kamus Kolom and Aturan follow); Perbandingan Unit is in
# the city's workbook only.
DATA_SHEETS = {
    "Ringkasan": RINGKASAN,
    "Perbandingan Unit": PERBANDINGAN_UNIT,
    "Tindak Lanjut": TINDAK_LANJUT,
    "Kartu Skor": KARTU_SKOR,
    "Rincian KPI": RINCIAN_KPI,
    "Rekomendasi": REKOMENDASI,
}

KAMUS = [
    Column("Lembar", None, "", width=22),
    Column("Kolom", None, "", width=26),
    Column("Kolom mart", None, "", width=36),
    Column("Arti", None, "", width=80),
    Column("Satuan", None, "", width=22),
    Column("Aturan", None, "", width=9),
]

ATURAN = [
    Column("Bagian", None, "", width=18),
    Column("Kunci", None, "", width=44),
    Column("Nilai", None, "", width=48),
    Column("Keterangan", None, "", width=70),
]
