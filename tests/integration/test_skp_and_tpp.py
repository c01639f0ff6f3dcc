"""Supervisor ratings (skp_ratings) in R7 and the TPP deduction in Rupiah (tpp_base), given ->
expected, on small hand-made landing folders run end to end against the real warehouse."""

from decimal import Decimal

from pipelines.explain import explain_text
from pipelines.period import Period
from pipelines.report_html.build import render
from pipelines.report_html.data import load
from pipelines.report_html.slip import render_slip
from tests.helpers import day_punches, pns_nip, query, staff, write, write_attendance, write_employees, write_holidays
from tests.integration.test_scoring_rules import SEP, SEP_DAYS, TICKET_HEADER, card, run  # SEP: in 2026-Q3

SKP_HEADER = "nip_pegawai;periode;predikat_hasil_kerja;perilaku_kerja;nip_penilai"  # as e-Kinerja names them


def tickets(officer: str, n: int, first: int) -> list[str]:
    """n tickets of the officer, each completed within its SLA (same day, KK: 0 working days)."""
    return [f"T{first + i},DISDUKCAPIL,KK,{officer},2026-09-{1 + i % 28:02d} 09:00,2026-09-{1 + i % 28:02d} 10:00,"
            "SELESAI" for i in range(n)]


def write_skp(landing, rows: list[str], name="ekinerja.csv", period=SEP):
    return write(landing, period, "skp_ratings", name, "\n".join([SKP_HEADER, *rows]) + "\n")


def test_office_staff_are_scored_from_the_supervisors_rating_and_disagreements_are_flagged(db, landing):
    head, ani, budi, counter, new_counter = (pns_nip(i) for i in (1, 2, 3, 4, 5))
    people = [staff(head), staff(ani), staff(budi),
              staff(counter, unit="DISDUKCAPIL", role="SERVICE_COUNTER"),
              staff(new_counter, unit="DISDUKCAPIL", role="SERVICE_COUNTER")]
    punches = [p for n in (head, ani, counter, new_counter) for p in day_punches(n, SEP_DAYS)]
    punches += day_punches(budi, SEP_DAYS[1:]) + [f"{budi},2026-09-01 07:40:00,IN", f"{budi},2026-09-01 16:35:00,OUT"]
    write_employees(landing, SEP, *people)
    write_attendance(landing, SEP, punches)
    write_holidays(landing, SEP)
    write(landing, SEP, "service_catalog", "layanan.csv", "service_code,service_name,sla_working_days\nKK,KK,0\n")
    write(landing, SEP, "service_tickets", "tiket.csv",
          "\n".join([TICKET_HEADER, *tickets(counter, 30, 1), *tickets(new_counter, 5, 100)]) + "\n")
    write_skp(landing, [
        f"{ani};2026-09;di  atas ekspektasi;Sesuai;{head}",  # case and spacing, a short form
        f"{budi};2026-TW3;SESUAI EKSPEKTASI;;{head}",  # the quarter (triwulan) rates each of its months
        f"{counter};2026-Q3;Di Bawah Ekspektasi;Sesuai Ekspektasi;{head}",  # the data says Di Atas
        f"{new_counter};09/2026;Sesuai;;{head}",  # 5 tickets: no objective rating
    ])
    write(landing, SEP, "tpp_base", "tpp.csv", f"nip,pagu_tpp,kelas_jabatan\n{ani},5000000,7\n{budi},4250000,7\n")
    run(landing)
    assert query(db, "select count(*) from meta.rejected_row") == [(0,)]

    a = card(db, ani)
    assert (a["rating_hasil_kerja"], a["rating_hasil_kerja_basis"], a["rating_perilaku"]) == (
        "Di Atas Ekspektasi", "ATASAN", "Di Atas Ekspektasi")  # perilaku stays the objective R6
    assert (a["status"], a["predikat"], a["status_reason"]) == ("SCORED", "Sangat Baik", None)
    assert (a["rating_perilaku_atasan"], a["skp_evaluator_nip"], a["rating_hasil_kerja_objektif"]) == (
        "Sesuai Ekspektasi", head, None)
    assert (a["tpp_base_rp"], a["tpp_deduction_rp"], a["tpp_payable_rp"]) == (5_000_000, 0, 5_000_000)

    b = card(db, budi)  # TL1 on 1 September: 0.5 % of Rp 4,250,000
    assert (b["status"], b["predikat"], b["rating_hasil_kerja"]) == ("SCORED", "Baik", "Sesuai Ekspektasi")
    assert b["tpp_deduction_pct"] == Decimal("0.50")
    assert (b["tpp_base_rp"], b["tpp_deduction_rp"], b["tpp_payable_rp"]) == (4_250_000, 21_250, 4_228_750)

    c = card(db, counter)  # both ratings published; the objective one counts; two categories apart
    assert (c["rating_hasil_kerja"], c["rating_hasil_kerja_basis"]) == ("Di Atas Ekspektasi", "OBJEKTIF")
    assert (c["rating_hasil_kerja_objektif"], c["rating_hasil_kerja_atasan"]) == (
        "Di Atas Ekspektasi", "Di Bawah Ekspektasi")
    assert c["rating_disagreement"] is True and c["predikat"] == "Sangat Baik"
    assert c["tpp_base_rp"] is None and c["tpp_deduction_rp"] is None  # no tpp_base row: not zero
    gap = query(db, "select value, note from mart.employee_kpi where nip = %s and kpi_code = 'HASIL_KERJA_GAP'",
                (counter,))
    assert gap[0][0] == 2 and "atasan (SKP) Di Bawah Ekspektasi" in gap[0][1]

    n = card(db, new_counter)  # too few tickets for the objective rating: the supervisor's is used
    assert (n["rating_hasil_kerja"], n["rating_hasil_kerja_basis"], n["rating_hasil_kerja_objektif"]) == (
        "Sesuai Ekspektasi", "ATASAN", None)
    assert n["status"] == "SCORED" and n["rating_disagreement"] is None

    h = card(db, head)  # no row of their own in the file: PARTIAL, and the reason says so
    assert h["status"] == "PARTIAL" and "tidak ada penilaian SKP atasan untuk pegawai ini" in h["status_reason"]
    # explain shows the supervisor's rating with its file and row, and the Rupiah
    text = explain_text(db, ani, Period.parse(SEP))
    assert "penilaian SKP atasan: hasil kerja Di Atas Ekspektasi" in text and "ekinerja.csv baris 2" in text
    assert f"penilai NIP {head}" in text and "TPP dasar Rp 5.000.000" in text
    assert "ekinerja.csv" in text.split("Berkas sumber")[1] and "tpp.csv" in text.split("Berkas sumber")[1]
    assert "berjarak 2 kategori, berbeda jauh dari rating objektif" in explain_text(db, counter, Period.parse(SEP))
    # a predikat resting on the supervisor's rating says so in its recommendation; an objective one does not
    rewards = dict(query(db, "select nip, reason from mart.recommendation where code = 'KANDIDAT_PENGHARGAAN'"))
    assert rewards[ani] == ("Predikat Sangat Baik (rating hasil kerja Di Atas Ekspektasi dari penilaian SKP atasan,"
                            " rating perilaku Di Atas Ekspektasi)")
    assert "SKP" not in rewards[counter]
    # the report's unit section and the slip show the Rupiah and the disagreement
    html = render(load(db, Period.parse(SEP)))
    bkpp = html.split('id="unit-BKPP"')[1].split("</section>")[0]
    assert "Potongan TPP (Rp)</th><td class=\"num\">Rp 21.250</td>" in bkpp
    assert "TPP dibayar (Rp)</th><td class=\"num\">Rp 9.228.750</td>" in bkpp
    assert "Penilaian SKP atasan" not in bkpp
    dukcapil = html.split('id="unit-DISDUKCAPIL"')[1].split("</section>")[0]
    assert "1 pegawai: rating atasan berbeda jauh dari rating objektif" in dukcapil and "Rp " not in dukcapil
    slip = render_slip(db, budi, Period.parse(SEP))
    assert "Rp 4.250.000" in slip and "Rp 21.250" in slip and "Rp 4.228.750" in slip
    assert "berbeda jauh dari rating objektif" in render_slip(db, counter, Period.parse(SEP))
    units = dict(query(db, "select unit_code, rating_disagreements from mart.unit_summary where period = %s", (SEP,)))
    assert units == {"BKPP": 0, "DISDUKCAPIL": 1}
    assert query(db, "select unit_code, status from meta.source_coverage where source = 'skp_ratings'") == [
        ("BKPP", "PRESENT")]


def test_without_an_skp_file_office_staff_stay_partial_and_rupiah_stay_empty(db, landing):
    clerk = pns_nip(6)
    write_employees(landing, SEP, staff(clerk))
    write_attendance(landing, SEP, day_punches(clerk, SEP_DAYS))
    write_holidays(landing, SEP)
    run(landing)

    c = card(db, clerk)
    assert (c["status"], c["rating_perilaku"], c["rating_hasil_kerja"]) == ("PARTIAL", "Di Atas Ekspektasi", None)
    assert "tidak ada berkas penilaian SKP atasan pada periode ini" in c["status_reason"]
    assert (c["tpp_base_rp"], c["tpp_deduction_rp"], c["tpp_payable_rp"]) == (None, None, None)
    assert c["tpp_deduction_pct"] == Decimal("0")
    # no file is normal: no coverage row, nothing missing for the unit
    assert query(db, "select count(*) from meta.source_coverage where source = 'skp_ratings'") == [(0,)]
    assert query(db, "select missing_sources from mart.unit_summary") == [(None,)]


def test_bad_skp_and_tpp_rows_are_rejected_with_their_codes(db, landing):
    head, clerk, other, gone = pns_nip(7), pns_nip(8), pns_nip(9), pns_nip(10)
    padding = [pns_nip(100 + i) for i in range(140)]  # keeps each file under the 5 % refusal
    people = [staff(head), staff(clerk), staff(other, unit="DPU"), staff(gone, active_to="2026-08-31"),
              *(staff(n, unit="PAD") for n in padding)]
    write_employees(landing, SEP, *people)
    write_attendance(landing, SEP, [p for n in (head, clerk, other) for p in day_punches(n, SEP_DAYS)])
    write_holidays(landing, SEP)
    stranger = "197001012005011999"  # a valid NIP of no employee
    bad = [
        f"{clerk};2026-09;Baik Sekali;;{head}",  # row 2: not a rating
        f"{clerk};Oktober;Sesuai;;{head}",  # row 3: not a month or quarter
        f"{clerk};2026-Q4;Sesuai;;{head}",  # row 4: another quarter
        f"{clerk};2026-09;Sesuai;;{clerk}",  # row 5: rated by themself
        f"{clerk};2026-09;Sesuai;;{stranger}",  # row 6: unknown evaluator
        f"{gone};2026-09;Sesuai;;{head}",  # row 7: not active in September
        f"{clerk};2026-09;Di Atas Ekspektasi;;{head}",  # row 8: the rating that stays
        f"{clerk};2026-Q3;Di Bawah;;{head}",  # row 9: a second rating of September
    ]
    write_skp(landing, [*bad, *(f"{n};2026-09;Sesuai;;{head}" for n in padding)])
    tpp = [f"{clerk},-5,", f"{stranger},1000000,", *(f"{n},3000000,5" for n in padding)]
    write(landing, SEP, "tpp_base", "tpp.csv", "\n".join(["nip,tpp_base_rp,job_class", *tpp]) + "\n")
    run(landing)

    rejected = query(db, "select source, row_number, column_name, rule from meta.rejected_row"
                         " order by source, row_number")
    assert rejected == [
        ("skp_ratings", 2, "rating_hasil_kerja", "VALUE_NOT_ALLOWED"),
        ("skp_ratings", 3, "rating_period", "PERIOD_FORMAT"),
        ("skp_ratings", 4, "rating_period", "OUTSIDE_PERIOD"),
        ("skp_ratings", 5, "evaluator_nip", "SELF_RATING"),
        ("skp_ratings", 6, "evaluator_nip", "UNKNOWN_EMPLOYEE"),
        ("skp_ratings", 7, "nip", "UNKNOWN_EMPLOYEE"),
        ("skp_ratings", 9, "nip", "DUPLICATE_KEY"),
        ("tpp_base", 2, "tpp_base_rp", "RANGE"),
        ("tpp_base", 3, "nip", "UNKNOWN_EMPLOYEE"),
    ]
    (reason,) = query(db, "select reason from meta.rejected_row where rule = 'OUTSIDE_PERIOD'")[0]
    assert "2026-Q4" in reason and "2026-Q3" in reason
    assert card(db, clerk)["rating_hasil_kerja"] == "Di Atas Ekspektasi"  # row 8
    # DPU has office staff and no rating in a period that has an skp_ratings file
    o = card(db, other)
    assert o["status"] == "PARTIAL" and "data penilaian SKP unit DPU tidak ada pada periode ini" in o["status_reason"]
    assert dict(query(db, "select unit_code, missing_sources from mart.unit_summary"))["DPU"] == "skp_ratings (MISSING)"
    # PAD: a base allowance but no attendance: the deduction is not known, so neither is the amount payable
    p = card(db, padding[0])
    assert (p["tpp_base_rp"], p["tpp_deduction_rp"], p["tpp_payable_rp"]) == (3_000_000, None, None)
    assert p["rating_hasil_kerja"] == "Sesuai Ekspektasi" and p["status"] == "PARTIAL"  # perilaku needs attendance
