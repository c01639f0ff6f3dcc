"""Generate a city, stage it month by month, and check every file's accounting and every planted
fault against what the loader rejected (the generator's manifest is the answer key)."""

import json

import pytest

from pipelines.generate import generate
from pipelines.monthly import run_period
from pipelines.period import Period
from pipelines.rules.catalog import RULES
from tests.helpers import query

MONTHS = ("2026-08", "2026-09", "2026-10")
STAGING_TABLES = [
    "employees", "leave", "rosters", "attendance", "service_catalog", "service_tickets",
    "service_surveys", "traffic_violations", "area_assignments", "holidays",
]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("city")
    generate(MONTHS[-1], out, months=len(MONTHS), employees=300, seed=11, faults=True)
    return out


def stage_all(city, months=MONTHS):
    return {m: run_period(Period.parse(m), city).staged.run for m in months}


def test_every_file_is_accounted_for(warehouse_url, db, city):
    runs = stage_all(city)
    for period, run in runs.items():
        files = query(db, "select file_no, source, rows_read, rows_loaded, rows_rejected, outcome"
                          " from meta.source_file where run_id = %s", (run.run_id,))
        assert files, period
        for file_no, source, read, loaded, rejected, outcome in files:
            assert read == loaded + rejected
            staged = query(db, f"select count(*) from staging.{source} where run_id = %s and file_no = %s",
                           (run.run_id, file_no))[0][0]
            rows_with_reasons = query(db, "select count(distinct row_number) from meta.rejected_row"
                                          " where run_id = %s and file_no = %s", (run.run_id, file_no))[0][0]
            assert staged == loaded
            if outcome == "LOADED":
                assert rows_with_reasons == rejected
            else:  # a refused file's rows stay in the file, not copied into meta.rejected_row
                assert (loaded, rows_with_reasons) == (0, 0)


def test_clean_months_reject_nothing(warehouse_url, db, city):
    runs = stage_all(city)
    for period in MONTHS[:-1]:
        assert query(db, "select count(*) from meta.rejected_row where run_id = %s", (runs[period].run_id,)) == [(0,)]
        assert query(db, "select count(*) from meta.source_file where run_id = %s and outcome = 'REJECTED'",
                     (runs[period].run_id,)) == [(0,)]


def test_planted_parse_faults_are_found_exactly(warehouse_url, db, city):
    run = stage_all(city, MONTHS[-1:])[MONTHS[-1]]
    manifest = json.loads((city / f"faults-{MONTHS[-1]}.json").read_text())
    known = [f for f in manifest if f["rule"] in RULES]  # the rules this loader applies
    file_level = {f"{f['source']}/{f['file']}": f["rule"] for f in manifest if f["row"] is None and f["rule"].startswith("FILE_")}

    refused = dict(query(db, "select file_name, rule from meta.source_file where run_id = %s and outcome = 'REJECTED'",
                         (run.run_id,)))
    assert refused == {name: rule for name, rule in file_level.items() if rule in RULES}

    # Files that later validation refuses whole (e.g. too many rejected) still load row by row here.
    expected = {(f"{f['source']}/{f['file']}", f["row"], f["rule"]) for f in known
                if f["row"] is not None and f"{f['source']}/{f['file']}" not in file_level}
    actual = set(query(db, "select file_name, row_number, rule from meta.rejected_row where run_id = %s"
                           " and file_name <> all(%s)", (run.run_id, list(file_level))))
    assert actual == expected

    notices = {(path, rule) for path, rule in query(
        db, "select path, rule from meta.landing_notice where run_id = %s", (run.run_id,))}
    for fault in manifest:
        if fault["rule"] == "NOTICE_UNKNOWN_FOLDER":
            assert (f"{MONTHS[-1]}/{fault['source']}", fault["rule"]) in notices
        if fault["rule"] == "WARN_UNKNOWN_COLUMN":
            assert (f"{fault['source']}/{fault['file']}", fault["rule"]) in notices


def _staged_rows(db, period):
    """Every staged row of a period, without its run id."""
    rows = {}
    for table in STAGING_TABLES:
        rows[table] = query(
            db,
            f"select (to_jsonb(s) - 'run_id')::text as r from staging.{table} s"
            f" join meta.staged_period using (period, run_id) where period = %s order by r",
            (period,),
        )
    return rows


def test_running_a_period_twice_stages_identical_rows(warehouse_url, db, city):
    first = stage_all(city, MONTHS[:1])[MONTHS[0]]
    before = _staged_rows(db, MONTHS[0])
    second = stage_all(city, MONTHS[:1])[MONTHS[0]]
    assert second.run_id != first.run_id
    assert _staged_rows(db, MONTHS[0]) == before
    assert sum(len(v) for v in before.values()) > 1000
    # nothing of the first run is left behind
    for table in STAGING_TABLES:
        assert query(db, f"select count(*) from staging.{table} where run_id = %s", (first.run_id,)) == [(0,)]


def test_rerunning_an_old_period_leaves_the_others_untouched(warehouse_url, db, city):
    runs = stage_all(city)
    later = {m: _staged_rows(db, m) for m in MONTHS[1:]}
    stage_all(city, MONTHS[:1])
    assert {m: _staged_rows(db, m) for m in MONTHS[1:]} == later
    assert query(db, "select period, run_id from meta.staged_period where period <> %s order by 1", (MONTHS[0],)) == [
        (m, runs[m].run_id) for m in MONTHS[1:]
    ]
