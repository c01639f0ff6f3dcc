"""`kinerja check` of an attendance file: would `run` mark a unit's attendance INCOMPLETE?

A file that loads whole can still cover too few of a unit's employees; then `run` withholds the
rating of every employee of the unit. When the period's employees file is at hand (beside the file
in its landing folder, or via --reference DIR), the check asks the run's own coverage SQL
(`pipelines.rules.coverage.incomplete_attendance`) on the throwaway warehouse, so the two cannot
disagree. Other attendance files of the landing folder are not staged by a check: the warning says
so when there are any.
"""

from __future__ import annotations

from pipelines.calendar import period_holidays
from pipelines.load.registry import Run
from pipelines.period import Period
from pipelines.rules.coverage import UnitAttendance, incomplete_attendance, incomplete_rule

_TEXT = {
    "id": {
        "verdict": (
            "HASIL: semua {loaded} baris akan dimuat, tetapi berkas ini BELUM LENGKAP untuk {units}: "
            "rating perilaku pegawainya tidak akan diberikan. Baca peringatan di bawah sebelum mengirim."
        ),
        "title": "Presensi tidak lengkap (cakupan INCOMPLETE):",
        "unit": (
            "{without} dari {on_duty} pegawai unit {unit} yang punya hari kerja tidak punya satu pun "
            "presensi di berkas ini (hanya {with_punch} dari {headcount} pegawai unit ini ada di berkas)."
        ),
        "effect": (
            "`kinerja run` akan menandai presensi unit {unit} INCOMPLETE: rating perilaku seluruh {headcount} "
            "pegawainya tidak diberikan (tidak dihitung alpa)."
        ),
        "todo": (
            "Yang harus dilakukan: kirim ekspor lengkap presensi semua pegawai unit {unit} (semua mesin "
            "dan lokasi, seluruh periode), lalu periksa ulang."
        ),
        "rule": (
            "Aturan: lebih dari {share} % pegawai unit yang punya hari kerja tanpa cuti, dan minimal {min} "
            "orang, tanpa presensi sama sekali; daftar pegawai dari berkas employees periode ini."
        ),
        "siblings": (
            "{n} berkas attendance lain di folder landing tidak ikut dihitung di sini; `kinerja run` "
            "menggabungkannya. Bila berkas itu memuat pegawai lainnya, peringatan ini tidak berlaku."
        ),
    },
    "en": {
        "verdict": (
            "RESULT: all {loaded} rows would load, but the file is INCOMPLETE for {units}: the "
            "behaviour ratings of its employees would be withheld. Read the warning below before sending."
        ),
        "title": "Attendance incomplete (coverage INCOMPLETE):",
        "unit": (
            "{without} of the {on_duty} employees of unit {unit} with working days have no punch at all "
            "in this file (only {with_punch} of the unit's {headcount} employees are in the file)."
        ),
        "effect": (
            "`kinerja run` would mark unit {unit}'s attendance INCOMPLETE: none of its {headcount} "
            "employees would get a behaviour rating (never counted as absent)."
        ),
        "todo": (
            "What to do: send the full attendance export of all employees of unit {unit} (every machine "
            "and location, the whole period), then check again."
        ),
        "rule": (
            "Rule: more than {share} % of the unit's employees with working days not on leave, and at "
            "least {min} of them, without any punch; the employees come from the period's employees file."
        ),
        "siblings": (
            "{n} other attendance file(s) in the landing folder are not counted here; `kinerja run` "
            "combines them. If they hold the other employees, this warning does not apply."
        ),
    },
}


def partial_units(conn, source: str, period: Period | None) -> list[UnitAttendance]:
    """The units whose attendance the run would mark INCOMPLETE, from the check's staged run (none
    for another source, an unknown period, or without employees to compare with)."""
    if source != "attendance" or period is None:
        return []
    with conn.cursor() as cur:
        cur.execute("select max(run_id) from meta.run")
        (run_id,) = cur.fetchone()
    conn.rollback()
    run = Run(run_id, period)
    return incomplete_attendance(conn, run, period_holidays(conn, run))


def partial_verdict(units: list[UnitAttendance], loaded: int, lang: str) -> str:
    names = ", ".join(u.unit_code for u in units)
    return _TEXT[lang]["verdict"].format(loaded=loaded, units=f"unit {names}")


def partial_lines(units: list[UnitAttendance], siblings: int, lang: str) -> list[str]:
    """The warning: per unit the numbers, what `run` would do, and what to send instead."""
    if not units:
        return []
    text = _TEXT[lang]
    out = ["", text["title"]]
    for u in units:
        values = {"unit": u.unit_code, "without": u.without_punch, "on_duty": u.on_duty,
                  "with_punch": u.with_punch, "headcount": u.headcount}
        out += ["  " + text[key].format(**values) for key in ("unit", "effect", "todo")]
    share, minimum = incomplete_rule()
    out.append("  " + text["rule"].format(share=f"{share * 100:g}", min=minimum))
    if siblings:
        out.append("  " + text["siblings"].format(n=siblings))
    return out
