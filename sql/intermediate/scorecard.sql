-- Grain: one row per employee active in the period: the KPIs, the two ratings (R6, R7), the
-- predikat (R11), the year-to-date discipline flag (R4) and, when a rating cannot be given, why.
-- R7 has two inputs: the objective measure of the role, and the supervisor's SKP rating
-- (skp_ratings). The objective one is published where it could be given, else the supervisor's;
-- both are kept, and flagged when they lie far apart (a fairness signal, not a sanction).
-- meta.source_coverage alone decides that a source is missing for a unit: then the figures that
-- need it are null (never read as absence) and the rating that needs it is not given. Where the
-- unit's source is there but some of an employee's rows were in a refused file
-- (meta.refused_file_employee), the same holds for that employee alone.
insert into intermediate.scorecard
with employee as (
    select * from intermediate.employee where run_id = %(run)s
),

coverage as (
    select unit_code, source, status from meta.source_coverage where run_id = %(run)s
),

-- The words for a source that is not there, for status_reason.
absent_source as (
    select c.unit_code, c.source, c.status,
           'data ' || coalesce(%(source_names)s::jsonb ->> c.source, c.source) || ' unit ' || c.unit_code || ' '
           || case c.status
                when 'MISSING' then 'tidak ada pada periode ini'
                when 'INCOMPLETE' then 'tidak lengkap (ekspor unit ini hanya sebagian)'
                when 'REFUSED' then 'ditolak (berkas unit ini ditolak; perbaiki dan kirim ulang)'
                when 'LATE' then 'terlambat (berkas belum diterima sampai batas waktu)'
              end as words
    from coverage c
    where c.status <> 'PRESENT'
),

-- An employee's rows of a source in refused files, in the same words.
refused_rows as (
    select r.nip, f.source, 'REFUSED' as status,
           'data ' || coalesce(%(source_names)s::jsonb ->> f.source, f.source)
           || ' pegawai ini ditolak (sebagian barisnya ada di berkas yang ditolak: '
           || string_agg(distinct f.file_name || ' [' || f.rule || ']', ', ') || ')' as words
    from meta.refused_file_employee r
    join meta.source_file f on f.run_id = r.run_id and f.file_no = r.file_no
    where r.run_id = %(run)s
    group by r.nip, f.source
),

earlier as (
    select nip,
           sum(days_absent_unexcused) filter (where period >= %(year_start)s and period < %(period)s) as absent_ytd,
           max(predikat) filter (where period = %(prev_period)s) as previous_predikat
    from mart.employee_scorecard
    where period >= least(%(year_start)s, %(prev_period)s) and period < %(period)s
    group by nip
),

-- Whether the period has an skp_ratings file at all (none is normal: office roles stay PARTIAL).
skp_file as (
    select count(*) > 0 as sent from meta.source_file where run_id = %(run)s and source = 'skp_ratings'
),

ticket as (
    select officer_nip as nip, count(*)::integer as completed, count(*) filter (where met)::integer as met
    from intermediate.ticket_sla
    where run_id = %(run)s and officer_nip is not null
    group by 1
),

joined as (
    select e.*,
           coalesce(att.status, lv.status, hol.status, ratt.status, rlv.status) as attendance_status,
           coalesce(att.words, lv.words, hol.words, ratt.words, rlv.words) as attendance_words,
           coalesce(ros.words, rros.words) as rosters_words,
           coalesce(tix.words, rtix.words) as tickets_words,
           coalesce(trf.words, asg.words, rasg.words) as field_words,
           s.workdays_expected, s.days_excused, s.days_present, s.days_absent_unexcused,
           s.late_count, s.early_leave_count, s.late_minutes, s.tpp_deduction_pct,
           s.tk_run_trailing, s.tk_run_longest,
           t.completed, t.met, i.responses, i.ikm, i.nrr_u6, i.nrr_u7,
           f.assigned_days, f.baseline_rate, f.change_pct,
           x.absent_ytd, x.previous_predikat,
           sf.sent as skp_sent, skp.words as skp_words, k.rating_hasil_kerja as skp_hasil_kerja,
           k.rating_perilaku as skp_perilaku, k.evaluator_nip as skp_evaluator_nip, tb.tpp_base_rp
    from employee e
    cross join skp_file sf
    join intermediate.attendance_summary s on s.run_id = %(run)s and s.nip = e.nip
    -- attendance figures need the punches, and the leave and calendar that decide what a day is
    left join absent_source att on att.unit_code = e.unit_code and att.source = 'attendance'
    left join absent_source lv on lv.unit_code = e.unit_code and lv.source = 'leave'
    left join absent_source hol on hol.unit_code = e.unit_code and hol.source = 'holidays'
    left join absent_source ros on ros.unit_code = e.unit_code and ros.source = 'rosters'
                               and e.schedule = 'SHIFT'
    -- service_surveys are not needed: without 10 responses the rating is made on the SLA alone
    left join absent_source tix on tix.unit_code = e.unit_code and tix.source = 'service_tickets'
    left join absent_source trf on trf.unit_code = e.unit_code and trf.source = 'traffic_violations'
    left join absent_source asg on asg.unit_code = e.unit_code and asg.source = 'area_assignments'
    left join refused_rows ratt on ratt.nip = e.nip and ratt.source = 'attendance'
    left join refused_rows rlv on rlv.nip = e.nip and rlv.source = 'leave'
    left join refused_rows rros on rros.nip = e.nip and rros.source = 'rosters' and e.schedule = 'SHIFT'
    left join refused_rows rtix on rtix.nip = e.nip and rtix.source = 'service_tickets'
    left join refused_rows rasg on rasg.nip = e.nip and rasg.source = 'area_assignments'
    left join ticket t on t.nip = e.nip
    left join intermediate.officer_ikm i on i.run_id = %(run)s and i.nip = e.nip
    left join intermediate.field_rate f on f.run_id = %(run)s and f.nip = e.nip
    left join earlier x on x.nip = e.nip
    left join absent_source skp on skp.unit_code = e.unit_code and skp.source = 'skp_ratings'
    -- one row per NIP: repeats were rejected in staging (DUPLICATE_KEY)
    left join staging.skp_ratings k on k.run_id = %(run)s and k.nip = e.nip
    left join staging.tpp_base tb on tb.run_id = %(run)s and tb.nip = e.nip
),

-- Attendance figures only where the unit's attendance is PRESENT and none of the employee's rows
-- of it were refused.
figures as (
    select j.*,
           j.attendance_words is null as attendance_known,
           case when j.role = 'SERVICE_COUNTER' and j.tickets_words is null then coalesce(j.completed, 0)
                else j.completed end as tickets_completed,
           coalesce(j.responses, 0) >= %(sc_min_responses)s as ikm_counted
    from joined j
),

rated as (
    select f.*,
           case when not f.attendance_known then null
                when f.rosters_words is not null then null
                when f.workdays_expected - f.days_excused < %(min_days)s then null
                when f.days_absent_unexcused >= %(below_absent_days)s
                  or f.tpp_deduction_pct >= %(below_tpp_pct)s then 'Di Bawah Ekspektasi'
                when f.days_absent_unexcused = 0
                 and f.late_count + f.early_leave_count <= %(above_max_late_early)s then 'Di Atas Ekspektasi'
                else 'Sesuai Ekspektasi' end as rating_perilaku,
           case when not f.attendance_known then f.attendance_words || '; ketidakhadiran tidak dihitung'
                when f.rosters_words is not null then f.rosters_words || '; tanpa jadwal shift tidak ada hari kerja'
                when f.workdays_expected - f.days_excused < %(min_days)s then
                     'hanya ' || (f.workdays_expected - f.days_excused) || ' hari kerja tanpa cuti (minimal '
                     || %(min_days)s || ')'
           end as rating_perilaku_reason,
           case f.role
             when 'SERVICE_COUNTER' then
               case when f.tickets_words is not null or f.tickets_completed < %(sc_min_tickets)s then null
                    when f.met::numeric / f.tickets_completed < %(sc_below_sla)s
                      or (f.ikm_counted and f.ikm < %(sc_below_ikm)s) then 'Di Bawah Ekspektasi'
                    when f.met::numeric / f.tickets_completed >= %(sc_above_sla)s
                     and (not f.ikm_counted or f.ikm >= %(sc_above_ikm)s) then 'Di Atas Ekspektasi'
                    else 'Sesuai Ekspektasi' end
             when 'FIELD_OFFICER' then
               case when f.field_words is not null or coalesce(f.assigned_days, 0) < %(fo_min_days)s
                      or f.change_pct is null then null
                    when f.change_pct <= %(fo_above_change_pct)s then 'Di Atas Ekspektasi'
                    when f.change_pct >= %(fo_below_change_pct)s then 'Di Bawah Ekspektasi'
                    else 'Sesuai Ekspektasi' end
           end as rating_hasil_kerja_objektif,
           case when f.skp_hasil_kerja is not null then null
                when not f.skp_sent then 'tidak ada berkas penilaian SKP atasan pada periode ini'
                when f.skp_words is not null then f.skp_words
                else 'tidak ada penilaian SKP atasan untuk pegawai ini di berkas penilaian SKP'
           end as skp_reason,
           case f.role
             when 'OFFICE' then 'jabatan kantor: hasil kerja dinilai atasan melalui SKP (data lain tidak memuat'
                                || ' ukuran hasil kerja jabatan kantor)'
             when 'SERVICE_COUNTER' then
               case when f.tickets_words is not null then f.tickets_words
                    when f.tickets_completed < %(sc_min_tickets)s then
                         f.tickets_completed || ' tiket selesai (minimal ' || %(sc_min_tickets)s || ')'
               end
             when 'FIELD_OFFICER' then
               case when f.field_words is not null then f.field_words
                    when coalesce(f.assigned_days, 0) < %(fo_min_days)s then
                         coalesce(f.assigned_days, 0) || ' hari penugasan wilayah (minimal '
                         || %(fo_min_days)s || ')'
                    when f.change_pct is null then
                         'belum ada baseline pelanggaran wilayah (data pelanggaran lalu lintas '
                         || %(baseline_months)s || ' bulan sebelumnya'
                         || ' tidak dimuat, atau nol)'
               end
           end as objektif_reason
    from figures f
),

-- R7: the objective rating where the role has one and it could be given, else the supervisor's.
chosen as (
    select r.*,
           coalesce(r.rating_hasil_kerja_objektif, r.skp_hasil_kerja) as rating_hasil_kerja,
           case when r.rating_hasil_kerja_objektif is not null then 'OBJEKTIF'
                when r.skp_hasil_kerja is not null then 'ATASAN' end as rating_hasil_kerja_basis,
           case when r.rating_hasil_kerja_objektif is null and r.skp_hasil_kerja is null then
                case when r.role = 'OFFICE' then r.objektif_reason || '; ' || r.skp_reason
                     else r.objektif_reason end
           end as rating_hasil_kerja_reason,
           abs(array_position(%(rating_order)s::text[], r.rating_hasil_kerja_objektif)
               - array_position(%(rating_order)s::text[], r.skp_hasil_kerja)) >= %(skp_disagreement)s
             as rating_disagreement
    from rated r
),

final as (
    select %(run)s::bigint as run_id, r.period, r.nip, r.name, r.unit_code, r.unit_name,
           r.job_type, r.role, r.employment_type, r.schedule,
           case when r.rating_perilaku is not null and r.rating_hasil_kerja is not null then 'SCORED'
                when r.rating_perilaku is not null or r.rating_hasil_kerja is not null then 'PARTIAL'
                else 'INSUFFICIENT_DATA' end as status,
           nullif(concat_ws('; ',
                  'rating perilaku tidak diberikan: ' || r.rating_perilaku_reason,
                  'rating hasil kerja tidak diberikan: ' || r.rating_hasil_kerja_reason), '') as status_reason,
           r.workdays_expected,
           case when r.attendance_known then r.days_present end as days_present,
           r.days_excused,
           case when r.attendance_known then r.days_absent_unexcused end as days_absent_unexcused,
           case when r.attendance_known then r.late_count end as late_count,
           case when r.attendance_known then r.early_leave_count end as early_leave_count,
           case when r.attendance_known then r.late_minutes end as late_minutes,
           case when r.attendance_known and r.workdays_expected > r.days_excused
                then round(r.days_present::numeric / (r.workdays_expected - r.days_excused), 4) end
             as attendance_rate,
           case when r.attendance_known then r.tpp_deduction_pct end as tpp_deduction_pct,
           case when r.attendance_known then r.tk_run_trailing end as tk_run_trailing,
           case when r.attendance_known then r.tk_run_longest end as tk_run_longest,
           (coalesce(r.absent_ytd, 0)
              + case when r.attendance_known then r.days_absent_unexcused else 0 end)::integer
             as unexcused_days_ytd,
           r.tickets_completed, r.met as tickets_sla_met,
           case when r.tickets_completed > 0 then round(r.met::numeric / r.tickets_completed, 4) end
             as sla_met_rate,
           r.ikm, r.responses as ikm_responses, r.nrr_u6, r.nrr_u7,
           r.assigned_days, r.change_pct as area_violation_change_pct,
           r.rating_perilaku, r.rating_perilaku_reason, r.rating_hasil_kerja, r.rating_hasil_kerja_reason,
           r.previous_predikat,
           case when r.attendance_known then 'PRESENT' else r.attendance_status end as attendance_coverage,
           coalesce(r.tickets_words, r.field_words) as hasil_kerja_coverage,
           r.rating_hasil_kerja_objektif, r.skp_hasil_kerja as rating_hasil_kerja_atasan,
           r.skp_perilaku as rating_perilaku_atasan, r.rating_hasil_kerja_basis, r.rating_disagreement,
           r.skp_evaluator_nip, r.tpp_base_rp,
           -- R3 in Rupiah: whole Rupiah, only where both the base and the deduction are known
           case when r.attendance_known then round(r.tpp_base_rp * r.tpp_deduction_pct / 100)::bigint end
             as tpp_deduction_rp
    from chosen r
)

select f.run_id, f.period, f.nip, f.name, f.unit_code, f.unit_name, f.job_type, f.role,
       f.employment_type, f.schedule, f.status, f.status_reason,
       f.workdays_expected, f.days_present, f.days_excused, f.days_absent_unexcused,
       f.late_count, f.early_leave_count, f.late_minutes, f.attendance_rate, f.tpp_deduction_pct,
       f.tk_run_trailing, f.tk_run_longest, f.unexcused_days_ytd,
       -- R4: PNS only; ten TK working days in a row first, else by the year-to-date count
       case when f.employment_type <> 'PNS' then null
            when f.tk_run_longest >= %(tk_run_full)s then %(consecutive_flag)s
            else (select b.flag from jsonb_to_recordset(%(flags)s::jsonb) b("from" int, "to" int, flag text)
                  where f.unexcused_days_ytd >= b."from"
                    and (b."to" is null or f.unexcused_days_ytd <= b."to"))
       end as discipline_flag,
       f.tickets_completed, f.tickets_sla_met, f.sla_met_rate,
       f.ikm,
       (select c.category from jsonb_to_recordset(%(ikm_categories)s::jsonb) c("from" numeric, category text)
        where f.ikm >= c."from" order by c."from" desc limit 1) as ikm_category,
       f.ikm_responses, f.nrr_u6, f.nrr_u7, f.assigned_days, f.area_violation_change_pct,
       f.rating_perilaku, f.rating_perilaku_reason, f.rating_hasil_kerja, f.rating_hasil_kerja_reason,
       %(matrix)s::jsonb -> f.rating_hasil_kerja ->> f.rating_perilaku as predikat,
       (%(predikat_values)s::jsonb ->> (%(matrix)s::jsonb -> f.rating_hasil_kerja ->> f.rating_perilaku))::integer
         as predikat_value,
       f.previous_predikat, f.attendance_coverage, f.hasil_kerja_coverage,
       f.rating_hasil_kerja_objektif, f.rating_hasil_kerja_atasan, f.rating_perilaku_atasan,
       f.rating_hasil_kerja_basis, f.rating_disagreement, f.skp_evaluator_nip,
       f.tpp_base_rp, f.tpp_deduction_rp, f.tpp_base_rp - f.tpp_deduction_rp as tpp_payable_rp
from final f;
