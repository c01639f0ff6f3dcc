"""Every rule that can refuse a file, reject a row or warn: a stable code, its severity, plain words
in English and Indonesian.

Codes are stable (departments and dashboards filter on them); the words say what is wrong and
what to do. Messages have the placeholders {column}, {value} (as written in the file) and
{detail} (a rule-specific fact: the allowed values, a range, a count). The staging SQL renders the
English words with format(); `kinerja check` renders either language from the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

FILE = "critical"  # refuses the whole file
ROW = "row"  # rejects the row, the rest of the file loads
WARNING = "warning"  # reported, nothing rejected


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    en: str
    id: str


_RULES = [
    # file-level
    Rule("FILE_UNREADABLE", FILE,
         "the file cannot be read as {detail}; save it again as CSV (UTF-8) or XLSX",
         "berkas tidak dapat dibaca sebagai {detail}; simpan ulang sebagai CSV (UTF-8) atau XLSX"),
    Rule("FILE_ENCODING", FILE,
         "the file is neither UTF-8 nor Windows-1252 text ({detail}); save it as 'CSV UTF-8'",
         "berkas bukan teks UTF-8 maupun Windows-1252 ({detail}); simpan sebagai 'CSV UTF-8'"),
    Rule("FILE_TYPE", FILE,
         "files of type '{detail}' are not read; save it as .csv or .xlsx",
         "berkas berjenis '{detail}' tidak dibaca; simpan sebagai .csv atau .xlsx"),
    Rule("FILE_LINK_OUTSIDE", FILE,
         "this is a link to {detail}, outside the landing folder; copy the file itself into the folder",
         "ini tautan ke {detail}, di luar folder landing; salin berkasnya sendiri ke folder"),
    Rule("FILE_EMPTY", FILE,
         "the file has no data rows below its header; send the file with its data",
         "berkas tidak berisi baris data di bawah judul kolom; kirim berkas beserta datanya"),
    Rule("FILE_MISSING_COLUMN", FILE,
         "required column {detail} is missing; the header row (one of the first 10 rows) must name it",
         "kolom wajib {detail} tidak ada; baris judul (salah satu dari 10 baris pertama) harus memuatnya"),
    Rule("FILE_DUPLICATE_COLUMN", FILE,
         "column {detail} appears more than once in the header; keep one",
         "kolom {detail} muncul lebih dari sekali di baris judul; sisakan satu"),
    Rule("FILE_WRONG_PERIOD", FILE,
         "{detail} of the rows are dated outside the period; is this the file of another month?",
         "{detail} baris bertanggal di luar periode; apakah ini berkas bulan lain?"),
    Rule("FILE_DATE_ORDER", FILE,
         "the dates appear to be written month/day (MM/DD/YYYY), e.g. {detail}; save the file again with dates as day/month/year (DD/MM/YYYY) or YYYY-MM-DD",
         "tanggal tampaknya berformat bulan/hari (MM/DD/YYYY), mis. {detail}; simpan ulang dengan format hari/bulan/tahun (DD/MM/YYYY) atau YYYY-MM-DD"),
    Rule("FILE_TOO_MANY_REJECTED", FILE,
         "{detail} of the rows break a rule (more than 5 %); fix the file and send it again",
         "{detail} baris melanggar aturan (lebih dari 5 %); perbaiki berkas dan kirim ulang"),
    # row-level
    Rule("ROW_FIELD_COUNT", ROW,
         "the row has {value} values but the header has {detail} columns; put values that contain the delimiter in double quotes",
         "baris berisi {value} nilai padahal judul berisi {detail} kolom; beri tanda kutip ganda pada nilai yang memuat pemisah"),
    Rule("REQUIRED", ROW,
         "{column} is empty but required{detail}; fill it in",
         "{column} kosong padahal wajib diisi{detail}; isi nilainya"),
    Rule("NIP_AS_NUMBER", ROW,
         "{column} \"{value}\" arrived as a number and has lost digits; format the column as text in the spreadsheet and export again",
         "{column} \"{value}\" tersimpan sebagai angka sehingga digitnya hilang; format kolom sebagai teks di spreadsheet lalu ekspor ulang"),
    Rule("NIP_LENGTH", ROW,
         "{column} \"{value}\" is not 18 digits; check the NIP",
         "{column} \"{value}\" tidak 18 digit; periksa NIP"),
    Rule("NIP_FORMAT", ROW,
         "{column} \"{value}\" is not a valid {detail} NIP (birth date, appointment, sex digit or sequence is impossible); check the NIP",
         "{column} \"{value}\" bukan NIP {detail} yang sah (tanggal lahir, pengangkatan, kode jenis kelamin atau nomor urut tidak mungkin); periksa NIP"),
    Rule("DATE_FORMAT", ROW,
         "{column} \"{value}\" is not a valid date; write YYYY-MM-DD or DD/MM/YYYY (day first)",
         "{column} \"{value}\" bukan tanggal yang sah; tulis YYYY-MM-DD atau DD/MM/YYYY (tanggal lebih dulu)"),
    Rule("DATETIME_FORMAT", ROW,
         "{column} \"{value}\" is not a valid date and time; write YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS]",
         "{column} \"{value}\" bukan tanggal dan jam yang sah; tulis YYYY-MM-DD HH:MM[:SS] atau DD/MM/YYYY HH:MM[:SS]"),
    Rule("TIME_FORMAT", ROW,
         "{column} \"{value}\" is not a valid time; write HH:MM (00:00 to 23:59)",
         "{column} \"{value}\" bukan jam yang sah; tulis HH:MM (00:00 sampai 23:59)"),
    Rule("NUMBER_FORMAT", ROW,
         "{column} \"{value}\" is not a whole number; write digits only",
         "{column} \"{value}\" bukan bilangan bulat; tulis angka saja"),
    Rule("VALUE_NOT_ALLOWED", ROW,
         "{column} \"{value}\" is not one of {detail}; use one of these values",
         "{column} \"{value}\" bukan salah satu dari {detail}; gunakan salah satu nilai tersebut"),
    Rule("RANGE", ROW,
         "{column} {value} is outside the allowed range {detail}",
         "{column} {value} di luar rentang yang diizinkan {detail}"),
    Rule("DUPLICATE_KEY", ROW,
         "{column} \"{value}\" already appeared in {detail}; the first one is kept, remove the repeat",
         "{column} \"{value}\" sudah ada di {detail}; yang pertama dipakai, hapus yang berulang"),
    Rule("OUTSIDE_PERIOD", ROW,
         "{column} {value} is not in the period {detail}; send it with the file of its own month",
         "{column} {value} tidak termasuk periode {detail}; kirim bersama berkas bulannya sendiri"),
    Rule("DATE_ORDER", ROW,
         "{column} {value} is before {detail}; check both dates",
         "{column} {value} lebih awal dari {detail}; periksa kedua tanggal"),
    Rule("UNKNOWN_EMPLOYEE", ROW,
         "{column} \"{value}\" is not an employee active in the period; check the NIP or the employees file",
         "{column} \"{value}\" bukan pegawai yang aktif pada periode ini; periksa NIP atau berkas pegawai"),
    Rule("EMPLOYEE_FILE_REFUSED", ROW,
         "{column} \"{value}\" belongs to the refused employees file {detail}; fix that file and re-run",
         "{column} \"{value}\" termasuk berkas pegawai yang ditolak {detail}; perbaiki berkas itu lalu jalankan ulang"),
    Rule("UNKNOWN_SERVICE", ROW,
         "{column} \"{value}\" is not in the service catalog of the period; add it to service_catalog or correct the code",
         "{column} \"{value}\" tidak ada di katalog layanan periode ini; tambahkan ke service_catalog atau perbaiki kodenya"),
    Rule("UNKNOWN_TICKET", ROW,
         "{column} \"{value}\" is no ticket of this or an earlier period; check the ticket number",
         "{column} \"{value}\" bukan tiket periode ini atau sebelumnya; periksa nomor tiket"),
    # warnings and notices: reported, nothing rejected
    Rule("WARN_UNKNOWN_COLUMN", WARNING,
         "column(s) {detail} are not part of this source and were ignored",
         "kolom {detail} bukan bagian sumber ini dan diabaikan"),
    Rule("WARN_ROW_COUNT", WARNING,
         "{detail}; check that the extract is complete",
         "{detail}; periksa apakah ekstrak sudah lengkap"),
    Rule("NOTICE_HEADER_ROW", WARNING,
         "the header is on row {detail}; the rows above it (a title) were not read",
         "judul kolom ada di baris {detail}; baris di atasnya (judul laporan) tidak dibaca"),
    Rule("NOTICE_SHEET", WARNING,
         "sheet '{detail}' was read: it has the expected columns (one sheet of a workbook is read)",
         "lembar '{detail}' yang dibaca: lembar itu memuat kolom yang diharapkan (satu lembar per berkas dibaca)"),
    Rule("NOTICE_LAYOUT", WARNING,
         "read as layout '{detail}' (config/sources.yml, layouts)",
         "dibaca sebagai tata letak '{detail}' (config/sources.yml, layouts)"),
    Rule("NOTICE_UNKNOWN_FOLDER", WARNING,
         "folder '{detail}' is not a source and was not read",
         "folder '{detail}' bukan sumber data dan tidak dibaca"),
    Rule("NOTICE_IGNORED_FILE", WARNING,
         "'{detail}' was not read (not a data file of a source folder)",
         "'{detail}' tidak dibaca (bukan berkas data di folder sumber)"),
]
RULES = {rule.code: rule for rule in _RULES}


def message(code: str, *, column: str = "", value: str = "", detail: str = "", lang: str = "en") -> str:
    rule = RULES[code]
    return (rule.id if lang == "id" else rule.en).format(column=column, value=value, detail=detail)


def sql_template(code: str, column: str) -> str:
    """The English words as a format() template: %1$s the value, %2$s the detail."""
    words = RULES[code].en.replace("%", "%%")
    return words.format(column=column.replace("%", "%%"), value="%1$s", detail="%2$s")


def severity(code: str) -> str:
    return RULES[code].severity
