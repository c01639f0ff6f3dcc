"""`kinerja explain NIP --period YYYY-MM`: one employee's published score, broken down so the
employee concerned can check it: each KPI with its inputs (the days late and by how much, the
tickets over their SLA), the threshold and rule behind each rating, the predikat, the
recommendations, and the files (name, sha256) the numbers came from. Labels are Indonesian."""

from __future__ import annotations

from pipelines.errors import UsageError
from pipelines.export.labels import DISAGREEMENT, RECOMMENDATION_KIND, ROLE, SOURCES, STATUS, number, rupiah
from pipelines.export.published import published_period
from pipelines.period import WIB, Period
from pipelines.rules_snapshot import period_rules

DAY = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
SCHEDULE = {"REGULAR": "reguler (Senin-Jumat)", "SHIFT": "shift"}

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
    union select 'skp_ratings', file_no from staging.skp_ratings where run_id = %(run)s and nip = %(nip)s
    union select 'tpp_base', file_no from staging.tpp_base where run_id = %(run)s and nip = %(nip)s
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
    return "-" if value is None else number(value, places)


def _rule(value) -> str:
    """A threshold of the rules, with the digits it was written with (0,95; 7,0; 3)."""
    return number(value, None)


def published_score(conn, nip: str, period: Period) -> dict:
    """Everything explain shows of one employee's published score (also the slip's source):
    scorecard, its days, late tickets, area rates, IKM, internal reasons, recommendations, files.
    Raises UsageError when the period or the NIP has not been published."""
    with conn.cursor() as cur:
        published = published_period(cur, period)
        found = _rows(cur, "select * from mart.employee_scorecard where period = %s and nip = %s",
                      (str(period), nip))
        if not found:
            raise UsageError(f"NIP {nip} has no published score in {period} (not an active employee then?)")
        s = found[0]
        used = period_rules(cur, published.rules_version)  # the period's rules, not today's file
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
        skp = _rows(cur, """select k.*, f.file_name from staging.skp_ratings k
                            join meta.source_file f on f.run_id = k.run_id and f.file_no = k.file_no
                            where k.run_id = %s and k.nip = %s""", (run, nip))
        files = _rows(cur, _FILES, {"run": run, "nip": nip, "tickets": s["tickets_completed"] is not None,
                                    "field": bool(field)})
    conn.rollback()
    return {"scorecard": s, "days": days, "late_tickets": late_tickets, "field": field, "ikm": ikm,
            "internal": internal, "recommendations": recs, "skp": skp, "files": files, "rules_used": used}


def explain_text(conn, nip: str, period: Period) -> str:
    score = published_score(conn, nip, period)
    s, internal, recs, files, field = (score[k] for k in ("scorecard", "internal", "recommendations", "files", "field"))
    days, late_tickets, ikm, run = score["days"], score["late_tickets"], score["ikm"], s["run_id"]
    used, skp = score["rules_used"], score["skp"]
    rules = used.rules
    out = [
        f"Rincian kinerja {s['name']} (NIP {nip}), periode {period}",
        f"  unit {s['unit_code']}{' – ' + s['unit_name'] if s['unit_name'] else ''}; {s['employment_type']},"
        f" jabatan {s['job_type']}, peran {ROLE.get(s['role'], s['role'])},"
        f" jadwal {SCHEDULE.get(s['schedule'], s['schedule'])}",
        f"  aturan {s['rules_version']}, run {run}, diterbitkan {s['published_at']:%Y-%m-%d %H:%M}",
        f"  {used.note()}",
        f"  status: {STATUS[s['status']]}" + (f" — {s['status_reason']}" if s["status_reason"] else ""),
        "",
    ]
    out += _attendance(s, days, rules)
    out += _results(s, internal, late_tickets, field, ikm, rules)
    out += _ratings(s, internal, skp, rules)
    out += ["", "Rekomendasi (R12):"]
    out += [f"  {RECOMMENDATION_KIND.get(r['kind'], r['kind'])}: {r['reason']}" for r in recs] or ["  tidak ada"]
    out += ["", "Berkas sumber (nama, sha256, baris dimuat):"]
    out += [f"  {f['file_name']}  {f['sha256']}  ({_num(f['rows_loaded'], 0)} baris)" for f in files]
    if field and field[0]["baseline_periods"]:
        out.append(f"  baseline wilayah dari berkas {SOURCES['traffic_violations']} periode"
                   f" {field[0]['baseline_periods']} (tercantum pada rincian periode tersebut)")
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
        f" {'; '.join(_rule(x) for x in rules['tpp']['deduction_by_category'])} %; per hari TK"
        f" {_rule(rules['tpp']['deduction_per_absent_day'])} %; {rules['tpp']['consecutive_absent_days_full']}"
        f" hari TK berturut-turut: {_rule(rules['tpp']['cap'])} %)",
        *_rupiah(s),
        f"  TK sepanjang tahun {str(s['period'])[:4]}: {s['unexcused_days_ytd']}; status disiplin (R4):"
        f" {s['discipline_flag'].replace('_', ' ').lower() if s['discipline_flag'] else 'tidak ada'}",
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
                   f" terhitung ({'/'.join(rules['hasil_kerja']['field_officer']['counted_detections'])})"
                   f" = {_num(f['current_rate'], 4)} per hari; baseline"
                   f" {_num(f['baseline_rate'], 4)} per hari; perubahan {_num(f['change_pct'])} %;"
                   f" catatan PATROL sendiri {f['patrol_records']} (ditampilkan, tidak dihitung)")
    if len(out) == 1:
        out.append("  tidak ada ukuran hasil kerja objektif untuk peran ini")
    return out + [""]


def _rupiah(s: dict) -> list[str]:
    if s["tpp_base_rp"] is None:
        return []
    return [f"  TPP dasar {_rp(s['tpp_base_rp'])}: potongan {_rp(s['tpp_deduction_rp'])}, dibayar"
            f" {_rp(s['tpp_payable_rp'])} (berkas TPP dasar BKPP)"]


def _rp(value) -> str:
    return "-" if value is None else rupiah(value)


def _supervisor(s: dict, skp: list[dict], rules: dict) -> list[str]:
    """The supervisor's SKP rating (R7), where it came from, and how it compares with the data."""
    if not skp:
        return []
    k = skp[0]
    out = [f"  penilaian SKP atasan: hasil kerja {k['rating_hasil_kerja']}"
           + (f", perilaku kerja {k['rating_perilaku']} (ditampilkan saja; rating perilaku dari presensi)"
              if k["rating_perilaku"] else "")
           + f"; periode {k['rating_period']}"
           + (f", penilai NIP {k['evaluator_nip']}" if k["evaluator_nip"] else ", penilai tidak disebut")
           + f"; berkas {k['file_name']} baris {k['row_number']}"]
    if s["rating_hasil_kerja_objektif"] is not None:
        gap = rules["hasil_kerja"]["supervisor"]["disagreement_categories"]
        out.append(f"    rating objektif {s['rating_hasil_kerja_objektif']} dipakai; rating atasan dicatat"
                   + (f" — berjarak {gap} kategori, {DISAGREEMENT}" if s["rating_disagreement"] else ""))
    return out


def _ratings(s, internal, skp, rules) -> list[str]:
    p = rules["perilaku"]
    sc = rules["hasil_kerja"]["service_counter"]
    fo = rules["hasil_kerja"]["field_officer"]
    perilaku_rule = (f"R6: Di Bawah bila TK >= {_rule(p['below_absent_days'])} atau potongan TPP >="
                     f" {_rule(p['below_tpp_pct'])} %; Di Atas bila TK = 0 dan TL + PSW <="
                     f" {_rule(p['above_max_late_early'])}; minimal {_rule(p['min_days'])} hari kerja tanpa cuti")
    hasil_rule = {
        "SERVICE_COUNTER": f"R7: minimal {_rule(sc['min_tickets'])} tiket; Di Bawah bila SLA < {_rule(sc['below_sla'])}"
                           f" atau IKM < {_rule(sc['below_ikm'])}; Di Atas bila SLA >= {_rule(sc['above_sla'])} dan"
                           f" IKM >= {_rule(sc['above_ikm'])} (IKM dihitung dengan minimal"
                           f" {_rule(sc['min_responses'])} responden)",
        "FIELD_OFFICER": f"R7/R10: minimal {_rule(fo['min_assigned_days'])} hari penugasan; Di Atas bila perubahan <="
                         f" {_rule(fo['above_change_pct'])} %; Di Bawah bila >= {_rule(fo['below_change_pct'])} %",
        "OFFICE": f"R7: jabatan kantor dinilai atasan melalui {SOURCES['skp_ratings']}",
    }[s["role"]]
    if s["rating_hasil_kerja_basis"] == "ATASAN" and s["role"] != "OFFICE":
        hasil_rule += "; data objektif tidak cukup, maka dipakai penilaian SKP atasan"
    out = ["Rating dan predikat:",
           f"  rating perilaku: {s['rating_perilaku'] or 'tidak diberikan — ' + internal['rating_perilaku_reason']}",
           f"    aturan {perilaku_rule}",
           f"  rating hasil kerja: {s['rating_hasil_kerja'] or 'tidak diberikan — ' + internal['rating_hasil_kerja_reason']}",
           f"    aturan {hasil_rule}",
           *_supervisor(s, skp, rules)]
    if s["predikat"]:
        out.append(f"  predikat (R11, matriks PermenPANRB 6/2022): {s['predikat']} (nilai {s['predikat_value']})")
    else:
        out.append("  predikat (R11): tidak diberikan — perlu kedua rating")
    return out


def _clock(ts) -> str:
    return "-" if ts is None else f"{ts.astimezone(WIB):%H:%M:%S}"


def _day(ts) -> str:
    return f"{ts.astimezone(WIB):%Y-%m-%d %H:%M}"
