"""`kinerja explain NIP --period YYYY-MM`: one employee's published score, broken down so the
employee concerned can check it: each KPI with its inputs (the days late and by how much, the
tickets over their SLA), the threshold and rule behind each rating, the predikat, the
recommendations, and the files (name, sha256) the numbers came from. Labels are Indonesian."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from pipelines.errors import UsageError
from pipelines.period import Period
from pipelines.resources import read_config

DAY = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
WIB = ZoneInfo("Asia/Jakarta")
STATUS = {"SCORED": "dinilai lengkap", "PARTIAL": "sebagian", "INSUFFICIENT_DATA": "data tidak cukup"}

# Per source, the staged rows that concern the employee (%(nip)s) in the published run (%(run)s).
_FILES = """
with mine as (
    select 'employees' as source, file_no from staging.employees where run_id = %(run)s and nip = %(nip)s
    union select 'leave', file_no from staging.leave where run_id = %(run)s and nip = %(nip)s
    union select 'rosters', file_no from staging.rosters where run_id = %(run)s and nip = %(nip)s
    union select 'attendance', file_no from staging.attendance where run_id = %(run)s and nip = %(nip)s
    union select 'service_tickets', file_no from staging.service_tickets
          where run_id = %(run)s and officer_nip = %(nip)s
    union select 'service_surveys', s.file_no from staging.service_surveys s
          join intermediate.survey_response r on r.run_id = s.run_id and r.response_id = s.response_id
          where s.run_id = %(run)s and r.officer_nip = %(nip)s
    union select 'area_assignments', file_no from staging.area_assignments where run_id = %(run)s and nip = %(nip)s
    union select source, file_no from meta.source_file
          where run_id = %(run)s and outcome = 'LOADED'
            and (source = 'holidays'
                 or (source = 'service_catalog' and %(tickets)s)
                 or (source = 'traffic_violations' and %(field)s))
)
select f.source, f.file_name, f.sha256, f.rows_loaded
from mine m join meta.source_file f on f.run_id = %(run)s and f.file_no = m.file_no
order by f.file_no
"""


def _rows(cur, sql: str, params) -> list[dict]:
    cur.execute(sql, params)
    names = [c.name for c in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _num(value, places: int = 2) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def published_score(conn, nip: str, period: Period) -> dict:
    """Everything explain shows of one employee's published score (also the slip's source):
    scorecard, its days, late tickets, area rates, IKM, internal reasons, recommendations, files.
    Raises UsageError when the period or the NIP has not been published."""
    with conn.cursor() as cur:
        found = _rows(cur, "select * from mart.employee_scorecard where period = %s and nip = %s",
                      (str(period), nip))
        if not found:
            cur.execute("select 1 from meta.published_period where period = %s", (str(period),))
            if cur.fetchone() is None:
                raise UsageError(f"{period} has not been published; run `kinerja run --period {period}` first")
            raise UsageError(f"NIP {nip} has no published score in {period} (not an active employee then?)")
        s = found[0]
        run = s["run_id"]
        days = _rows(cur, """select * from intermediate.attendance_day where run_id = %s and nip = %s
                             order by planned_start""", (run, nip))
        late_tickets = _rows(cur, """select * from intermediate.ticket_sla where run_id = %s and officer_nip = %s
                                     and not met order by completed_at""", (run, nip))
        field = _rows(cur, "select * from intermediate.field_rate where run_id = %s and nip = %s", (run, nip))
        ikm = _rows(cur, "select * from intermediate.officer_ikm where run_id = %s and nip = %s", (run, nip))
        internal = _rows(cur, "select * from intermediate.scorecard where run_id = %s and nip = %s", (run, nip))[0]
        recs = _rows(cur, "select kind, code, reason from mart.recommendation where period = %s and nip = %s"
                          " order by kind, code", (str(period), nip))
        files = _rows(cur, _FILES, {"run": run, "nip": nip, "tickets": s["tickets_completed"] is not None,
                                    "field": bool(field)})
    conn.rollback()
    return {"scorecard": s, "days": days, "late_tickets": late_tickets, "field": field, "ikm": ikm,
            "internal": internal, "recommendations": recs, "files": files}


def explain_text(conn, nip: str, period: Period) -> str:
    score = published_score(conn, nip, period)
    s, internal, recs, files, field = (score[k] for k in ("scorecard", "internal", "recommendations", "files", "field"))
    days, late_tickets, ikm, run = score["days"], score["late_tickets"], score["ikm"], s["run_id"]
    rules = read_config("rules.yml")
    out = [
        f"Rincian kinerja {s['name']} (NIP {nip}), periode {period}",
        f"  unit {s['unit_code']}{' – ' + s['unit_name'] if s['unit_name'] else ''}; {s['employment_type']},"
        f" jabatan {s['job_type']}, peran {s['role']}, jadwal {s['schedule']}",
        f"  aturan {s['rules_version']}, run {run}, diterbitkan {s['published_at']:%Y-%m-%d %H:%M}",
        f"  status: {s['status']} ({STATUS[s['status']]})" + (f" — {s['status_reason']}" if s["status_reason"] else ""),
        "",
    ]
    out += _attendance(s, days, rules)
    out += _results(s, internal, late_tickets, field, ikm, rules)
    out += _ratings(s, internal, rules)
    out += ["", "Rekomendasi (R12):"]
    out += [f"  {r['kind']} / {r['code']}: {r['reason']}" for r in recs] or ["  tidak ada"]
    out += ["", "Berkas sumber (nama, sha256, baris dimuat):"]
    out += [f"  {f['file_name']}  {f['sha256']}  ({f['rows_loaded']} baris)" for f in files]
    if field and field[0]["baseline_periods"]:
        out.append(f"  baseline wilayah dari traffic_violations periode {field[0]['baseline_periods']}"
                   " (lihat meta.source_file periode tersebut)")
    return "\n".join(out)


def _attendance(s: dict, days: list[dict], rules: dict) -> list[str]:
    out = ["Kehadiran (R1, R2) dan potongan TPP (R3):",
           f"  hari kerja diharapkan {s['workdays_expected']}, cuti/izin {s['days_excused']}"]
    if s["days_present"] is None:
        return out + ["  presensi tidak dihitung: " + (s["status_reason"] or "data presensi tidak ada"), ""]
    excused = s["workdays_expected"] - s["days_excused"]
    out += [
        f"  hadir {s['days_present']}, tanpa keterangan (TK) {s['days_absent_unexcused']};"
        f" tingkat kehadiran {_num(s['attendance_rate'], 4)} = {s['days_present']} / {excused}",
        f"  terlambat (TL) {s['late_count']} kali, {s['late_minutes']} menit; pulang cepat (PSW)"
        f" {s['early_leave_count']} kali",
        f"  potongan TPP {_num(s['tpp_deduction_pct'])} % (per kejadian TL1-4/PSW1-4:"
        f" {', '.join(str(x) for x in rules['tpp']['deduction_by_category'])} %; per hari TK"
        f" {rules['tpp']['deduction_per_absent_day']} %; {rules['tpp']['consecutive_absent_days_full']}"
        f" hari TK berturut-turut: {rules['tpp']['cap']} %)",
        f"  TK sepanjang tahun {str(s['period'])[:4]}: {s['unexcused_days_ytd']}; status disiplin (R4):"
        f" {s['discipline_flag'] or 'tidak ada'}",
    ]
    notable = [d for d in days if d["day_status"] != "PRESENT" or d["tl"] or d["psw"]]
    if notable:
        out.append("  hari yang dihitung (selain hadir tepat waktu):")
    for d in notable:
        local = d["planned_start"].astimezone(WIB)
        what = {"EXCUSED": f"cuti/izin {d['leave_type']}", "ABSENT": "TK (tidak ada presensi)"}.get(d["day_status"], "")
        parts = [f"    {d['day']} {DAY[d['day'].weekday()]} jadwal {local:%H:%M}-"
                 f"{d['planned_end'].astimezone(WIB):%H:%M}", what]
        if d["day_status"] == "PRESENT":
            parts.append(f"masuk {_clock(d['check_in'])} pulang {_clock(d['check_out'])}")
            if d["tl"]:
                parts.append(f"TL{d['tl']}" + (f" ({d['late_minutes']} menit)" if d["check_in"] else " (tanpa presensi masuk)"))
            if d["psw"]:
                parts.append(f"PSW{d['psw']}" + (f" ({d['early_minutes']} menit)" if d["check_out"] else " (tanpa presensi pulang)"))
        parts.append(f"potongan {_num(d['deduction_pct'])} %")
        out.append("  ".join(p for p in parts if p))
    return out + [""]


def _results(s, internal, late_tickets, field, ikm, rules) -> list[str]:
    out = ["Hasil kerja (R7-R10):"]
    if s["tickets_completed"] is not None:
        out.append(f"  layanan: {s['tickets_completed']} tiket selesai, {internal['tickets_sla_met']} sesuai SLA"
                   f" (tingkat {_num(s['sla_met_rate'], 4)}; hari kerja dihitung setelah tanggal berkas lengkap"
                   " sampai tanggal selesai)")
        for t in late_tickets:
            over = t["working_days_taken"] - t["sla_working_days"]
            out.append(f"    tiket {t['ticket_id']} ({t['service_code']}): diterima {_day(t['received_at'])},"
                       f" selesai {_day(t['completed_at'])}, {t['working_days_taken']} hari kerja,"
                       f" standar {t['sla_working_days']}: lewat {over} hari kerja")
    if ikm:
        i = ikm[0]
        nrr = ", ".join(f"U{k} {_num(i[f'nrr_u{k}'], 4)}" for k in range(1, 10))
        counted = i["responses"] >= rules["hasil_kerja"]["service_counter"]["min_responses"]
        out.append(f"  IKM {_num(i['ikm'])} (kategori {s['ikm_category']}) dari {i['responses']} responden"
                   f"{'' if counted else ' (kurang dari minimal, tidak dihitung dalam rating)'}; NRR: {nrr}")
    if field:
        f = field[0]
        out.append(f"  wilayah: {f['assigned_days']} hari penugasan, {f['counted_violations']} pelanggaran"
                   f" terhitung (CAMERA/REPORT) = {_num(f['current_rate'], 4)} per hari; baseline"
                   f" {_num(f['baseline_rate'], 4)} per hari; perubahan {_num(f['change_pct'])} %;"
                   f" catatan PATROL sendiri {f['patrol_records']} (ditampilkan, tidak dihitung)")
    if len(out) == 1:
        out.append("  tidak ada ukuran hasil kerja objektif untuk peran ini")
    return out + [""]


def _ratings(s, internal, rules) -> list[str]:
    p = rules["perilaku"]
    sc = rules["hasil_kerja"]["service_counter"]
    fo = rules["hasil_kerja"]["field_officer"]
    perilaku_rule = (f"R6: Di Bawah bila TK >= {p['below_absent_days']} atau potongan TPP >= {p['below_tpp_pct']} %;"
                     f" Di Atas bila TK = 0 dan TL + PSW <= {p['above_max_late_early']}; minimal {p['min_days']}"
                     " hari kerja tanpa cuti")
    hasil_rule = {
        "SERVICE_COUNTER": f"R7: minimal {sc['min_tickets']} tiket; Di Bawah bila SLA < {sc['below_sla']} atau IKM"
                           f" < {sc['below_ikm']}; Di Atas bila SLA >= {sc['above_sla']} dan IKM >= {sc['above_ikm']}"
                           f" (IKM dihitung dengan minimal {sc['min_responses']} responden)",
        "FIELD_OFFICER": f"R7/R10: minimal {fo['min_assigned_days']} hari penugasan; Di Atas bila perubahan <="
                         f" {fo['above_change_pct']} %; Di Bawah bila >= {fo['below_change_pct']} %",
        "OFFICE": "R7: jabatan kantor dinilai atasan melalui SKP",
    }[s["role"]]
    out = ["Rating dan predikat:",
           f"  rating perilaku: {s['rating_perilaku'] or 'tidak diberikan — ' + internal['rating_perilaku_reason']}",
           f"    aturan {perilaku_rule}",
           f"  rating hasil kerja: {s['rating_hasil_kerja'] or 'tidak diberikan — ' + internal['rating_hasil_kerja_reason']}",
           f"    aturan {hasil_rule}"]
    if s["predikat"]:
        out.append(f"  predikat (R11, matriks PermenPANRB 6/2022): {s['predikat']} (nilai {s['predikat_value']})")
    else:
        out.append("  predikat (R11): tidak diberikan — perlu kedua rating")
    return out


def _clock(ts) -> str:
    return "-" if ts is None else f"{ts.astimezone(WIB):%H:%M:%S}"


def _day(ts) -> str:
    return f"{ts.astimezone(WIB):%Y-%m-%d %H:%M}"
