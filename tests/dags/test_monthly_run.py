"""The DAG end to end with `dag.test()` (SQLite metadata database, embedded warehouse): it publishes
what `kinerja run` publishes, a source past its deadline is LATE, and a refused employees file
fails the run before anything is published."""

from __future__ import annotations

from pipelines.generate import generate
from pipelines.ingest import StageResult
from pipelines.land.discover import Landing
from pipelines.load.registry import Run
from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.report import summary_text
from tests.helpers import (
    PNS_1,
    PNS_2,
    day_punches,
    query,
    staff,
    write,
    write_attendance,
    write_employees,
    write_holidays,
    workdays,
)

MARTS = ("employee_scorecard", "employee_kpi", "recommendation", "unit_summary")
LINEAGE = ("run_id", "published_at")


def published(conn, period: str) -> dict[str, list[tuple]]:
    """Every mart row of the period but its lineage columns, plus the run's coverage."""
    rows = {}
    for mart in MARTS:
        columns = [c for (c,) in query(
            conn, "select column_name from information_schema.columns where table_schema = 'mart'"
                  " and table_name = %s order by ordinal_position", (mart,)) if c not in LINEAGE]
        rows[mart] = sorted(query(conn, f"select {', '.join(columns)} from mart.{mart} where period = %s", (period,)),
                            key=repr)
    rows["coverage"] = query(
        conn, "select unit_code, source, status, reason from meta.source_coverage c"
              " join meta.published_period p using (period, run_id) where period = %s order by 1, 2", (period,))
    return rows


def task_states(dag_run) -> dict[str, list[tuple]]:
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    with create_session() as session:
        tis = session.query(TaskInstance).filter_by(dag_id=dag_run.dag_id, run_id=dag_run.run_id).all()
        states: dict[str, list[tuple]] = {}
        for ti in sorted(tis, key=lambda t: (t.task_id, t.map_index)):
            states.setdefault(ti.task_id, []).append((ti.rendered_map_index, str(ti.state)))
    return states


def test_dag_publishes_exactly_what_kinerja_run_publishes(airflow_db, monthly, warehouse_url, db, tmp_path):
    landing = tmp_path / "landing"
    generate("2026-09", landing, months=1, employees=200, seed=11)
    run_period(Period(2026, 9), landing)
    expected = published(db, "2026-09")
    assert expected["employee_scorecard"] and expected["employee_kpi"]

    dag_run = monthly.test(run_conf={"period": "2026-09", "landing": str(landing)})

    assert dag_run.state == "success"
    assert published(db, "2026-09") == expected
    (command, outcome), = query(db, "select command, outcome from meta.run r join meta.published_period p"
                                    " using (period, run_id) where period = '2026-09'")
    assert outcome == "PUBLISHED" and command == f"airflow {dag_run.run_id}"
    states = task_states(dag_run)
    files = sorted(str(p.relative_to(landing / "2026-09")) for p in (landing / "2026-09").glob("*/*"))
    assert sorted(label for label, _ in states["load_file"]) == files
    assert {label for label, _ in states["wait_for_source"]} >= {"employees", "attendance", "rosters"}
    assert all(state == "success" for tis in states.values() for _, state in tis)
    from airflow.models.asset import AssetEvent
    from airflow.utils.session import create_session

    with create_session() as session:
        extras = [e.extra for e in session.query(AssetEvent).all() if e.source_run_id == dag_run.run_id]
    assert [x["period"] for x in extras] == ["2026-09"]


P = "2024-09"  # long past: every deadline has passed


def small_city(landing) -> None:
    """An office clerk and a counter officer (who needs tickets and surveys) in MPP."""
    write_employees(landing, P, staff(PNS_1, unit="MPP"), staff(PNS_2, unit="MPP", role="SERVICE_COUNTER"))
    days = workdays(P, holidays=("2024-09-16",))
    write_attendance(landing, P, day_punches(PNS_1, days) + day_punches(PNS_2, days))
    write_holidays(landing, P, "2024-09-16")


def test_a_source_past_its_deadline_is_late_and_the_run_goes_on(airflow_db, monthly, warehouse_url, db, tmp_path):
    landing = tmp_path / "landing"
    small_city(landing)
    conf = {"period": P, "landing": str(landing), "wait_for": ["employees", "attendance", "service_tickets"],
            "source_deadlines": {"service_tickets": "2 08:00"}}

    dag_run = monthly.test(run_conf=conf)

    assert dag_run.state == "success"
    states = task_states(dag_run)
    assert sorted(states["wait_for_source"]) == [
        ("attendance", "success"), ("employees", "success"), ("service_tickets", "success")]
    coverage = query(db, "select source, status, reason from meta.source_coverage where unit_code = 'MPP'"
                         " and source like 'service%' order by 1")
    assert coverage == [
        ("service_surveys", "MISSING", "tidak ada data survei IKM unit MPP pada September 2024"),  # not waited for
        ("service_tickets", "LATE", "berkas tiket layanan belum diterima sampai batas waktu 2024-10-02 08:00 WIB;"
                                    " jalankan ulang periode ini setelah berkasnya tiba"),
    ]
    (status, reason), = query(db, "select status, status_reason from mart.employee_scorecard where nip = %s", (PNS_2,))
    assert status == "PARTIAL" and "data tiket layanan unit MPP terlambat" in reason
    run_id, = query(db, "select run_id from meta.published_period where period = %s", (P,))[0]
    report = summary_text(StageResult(Run(run_id, Period.parse(P)), Landing(landing, Period.parse(P))), db)
    assert "Late extracts" in report and "service_tickets      1 unit(s) LATE: berkas tiket layanan belum diterima" in report


def test_a_refused_employees_file_fails_the_run_before_publishing(airflow_db, monthly, warehouse_url, db, tmp_path):
    landing = tmp_path / "landing"
    small_city(landing)
    write(landing, P, "employees", "bkpp.csv", f"nip,name\n{PNS_1},Budi\n")  # required columns missing

    dag_run = monthly.test(run_conf={"period": P, "landing": str(landing), "wait_for": ["employees"]})

    assert dag_run.state == "failed"
    states = task_states(dag_run)
    assert states["quality_gate"] == [(None, "failed")]
    assert states["score_and_publish"] == [(None, "upstream_failed")]
    assert states["close_run"] == [(None, "success")]
    assert query(db, "select outcome from meta.run") == [("REFUSED",)]
    assert query(db, "select count(*) from mart.employee_scorecard") == [(0,)]
    assert query(db, "select count(*) from pg_tables where schemaname in ('staging', 'raw') and tablename ~ '__r|_r\\d'") == [(0,)]


def test_a_usage_error_fails_at_once_without_retries(airflow_db, monthly, warehouse_url):
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session

    dag_run = monthly.test(run_conf={"period": P, "landing": "/nowhere/at/all"})
    assert dag_run.state == "failed"
    with create_session() as session:
        ti = session.query(TaskInstance).filter_by(run_id=dag_run.run_id, task_id="plan").one()
        assert (str(ti.state), ti.try_number) == ("failed", 1)
