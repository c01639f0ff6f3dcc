"""DAG integrity over one DagBag of dags/: it loads, follows the project's policy, and parsing it
imports nothing heavy and touches no database."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tests.dags.conftest import DAGS, airflow_env

# Tasks that are not retried, and why (every other task is).
NOT_RETRIED = {"score_and_publish": "a failure marks the run FAILED and drops its rows, as kinerja run does"}
# Heavy to import, or the warehouse's drivers: a DAG file that imports none cannot reach the warehouse.
HEAVY = ("great_expectations", "pandas", "numpy", "openpyxl", "psycopg2", "pgserver")


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"kinerja_monthly"}


def test_policy_owner_tags_retries_doc(dagbag):
    for dag in dagbag.dags.values():
        assert dag.tags and dag.doc_md, dag.dag_id
        assert dag.max_active_runs == 1, dag.dag_id  # a period reads the periods before it
        assert dag.default_args["retries"] >= 1
        for task in dag.tasks:
            assert task.owner not in ("", "airflow"), task.task_id
            if task.task_id in NOT_RETRIED:
                assert task.retries == 0, task.task_id
            else:
                assert task.retries >= 1, task.task_id


def test_catchup_is_explicit():
    """Airflow's default may change with its configuration; each DAG states it."""
    for path in DAGS.glob("*.py"):
        calls = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Call)
                 and getattr(n.func, "id", None) == "dag"]
        assert calls and all("catchup" in {k.arg for k in c.keywords} for c in calls), path.name


def test_structure(monthly):
    tasks = {t.task_id: t for t in monthly.tasks}
    assert {"plan", "wait_for_source", "start_staging", "load_file", "quality_gate",
            "score_and_publish", "prune_runs", "close_run"} == set(tasks)
    sensor = tasks["wait_for_source"].partial_kwargs  # a mapped task: its arguments are here
    assert sensor["mode"] == "reschedule" and sensor["timeout"] <= timedelta(days=31)
    assert tasks["wait_for_source"].map_index_template and tasks["load_file"].map_index_template
    assert [a.name for a in tasks["score_and_publish"].outlets] == ["kinerja_mart"]
    assert tasks["close_run"].is_teardown
    # Nothing is published unless the quality gate passed.
    assert "quality_gate" in tasks["score_and_publish"].upstream_task_ids
    assert "score_and_publish" in tasks["prune_runs"].upstream_task_ids  # retention once published


def test_parsing_imports_nothing_heavy_and_touches_no_database(tmp_path):
    """In a fresh interpreter (this one has imported everything by now)."""
    probe = f"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={str(DAGS)!r})
heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))
print(json.dumps({{"errors": bag.import_errors, "dags": sorted(bag.dags), "heavy": heavy}}))
"""
    env = {**airflow_env(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"errors": {}, "dags": ["kinerja_monthly"], "heavy": []}
