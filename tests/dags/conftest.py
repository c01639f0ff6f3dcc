"""Airflow for the DAG tests: a SQLite metadata database in a temporary AIRFLOW_HOME and one DagBag
of dags/. Airflow reads its settings when first imported, so nothing here imports it at module
level: the environment is set first."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[2] / "dags"


def airflow_env(home: Path) -> dict[str, str]:
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Jakarta",  # as the compose stack sets it
    }


@pytest.fixture(scope="session")
def airflow_db(tmp_path_factory):
    """A migrated Airflow metadata database (SQLite) for this session."""
    home = tmp_path_factory.mktemp("airflow")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with pytest.MonkeyPatch.context() as patch:
        for name, value in airflow_env(home).items():
            patch.setenv(name, value)
        from airflow.utils import db

        db.initdb()
        yield home
    # Airflow's handlers write to this session's captured output, closed before the embedded
    # warehouse logs its shutdown at exit.
    root.handlers, root.level = handlers, level


@pytest.fixture(scope="session")
def dagbag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


@pytest.fixture
def monthly(airflow_db):
    """Parsed anew for each test: `dag.test()` runs tasks in this process, and a run's conf stays
    in the params of the DAG object it ran (a worker parses the file for every task)."""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS)).dags["kinerja_monthly"]
