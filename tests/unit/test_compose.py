"""docker-compose.yml and Dockerfile, parsed and cross-checked (no Docker engine is needed): the
image is the pinned Airflow, mounted folders exist, long-running services have health checks,
secrets come only from the environment."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
AIRFLOW = [name for name, s in SERVICES.items() if s.get("build") or str(s.get("image", "")).startswith("kinerja-airflow")]
ONE_SHOT = {name for name, s in SERVICES.items() if s.get("restart") == "no"}
VARIABLE = re.compile(r"\$\{(\w+)(?::?[-?]([^}]*))?\}")


def pinned(requirement: str) -> str:
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.startswith(f"{requirement}=="):
            return line.split("==")[1].strip()
    raise AssertionError(f"{requirement} is not pinned in requirements.txt")


def test_the_image_is_the_pinned_airflow_on_the_projects_python():
    base = re.search(r"^FROM apache/airflow:(\S+)-python(\d+\.\d+)$", (ROOT / "Dockerfile").read_text(), re.M)
    assert base, "Dockerfile must build FROM apache/airflow:<version>-python<x.y>"
    assert base[1] == pinned("apache-airflow")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f">={base[2]}" in requires
    assert {SERVICES[name]["image"] for name in AIRFLOW} == {f"kinerja-airflow:{pinned('apache-airflow')}"}


def test_the_stack_has_every_airflow_3_service_and_a_separate_warehouse():
    assert {"postgres", "warehouse", "airflow-init", "airflow-apiserver", "airflow-scheduler",
            "airflow-dag-processor", "airflow-triggerer"} <= set(SERVICES)
    assert SERVICES["postgres"]["environment"]["POSTGRES_DB"] != SERVICES["warehouse"]["environment"]["POSTGRES_DB"]
    assert SERVICES["airflow-init"]["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"
    env = SERVICES["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert "@warehouse:5432/" in env["KINERJA_WAREHOUSE_URL"]
    assert env["AIRFLOW__CORE__DEFAULT_TIMEZONE"] == "Asia/Jakarta"  # backfill dates are WIB (README)


def test_celery_is_a_profile_with_redis_and_workers():
    assert SERVICES["redis"]["profiles"] == ["celery"] and SERVICES["airflow-worker"]["profiles"] == ["celery"]
    assert "redis" in SERVICES["airflow-worker"]["depends_on"]
    assert not [name for name, s in SERVICES.items() if "profiles" not in s and "redis" in s.get("depends_on", {})]


@pytest.mark.parametrize("name", [n for n in SERVICES if n not in ONE_SHOT])
def test_every_long_running_service_has_a_health_check_and_restarts(name):
    service = SERVICES[name]
    assert service.get("healthcheck", {}).get("test"), name
    assert service.get("restart") in ("always", "unless-stopped"), name


def test_services_wait_for_healthy_dependencies():
    for name, service in SERVICES.items():
        for dependency, condition in service.get("depends_on", {}).items():
            expected = "service_completed_successfully" if dependency in ONE_SHOT else "service_healthy"
            assert condition["condition"] == expected, (name, dependency)


def test_mounted_host_folders_exist_and_the_landing_is_the_workers_landing():
    for name in AIRFLOW:
        for volume in SERVICES[name].get("volumes", []):
            host, target, *mode = volume.split(":")
            default = VARIABLE.fullmatch(host)
            host = default[2] if default else host
            if host.startswith("."):
                assert (ROOT / host).is_dir(), f"{name}: {host} does not exist"
        landing = [v for v in SERVICES[name]["volumes"] if "KINERJA_LANDING_DIR" in v]
        assert landing == ["${KINERJA_LANDING_DIR:-./landing}:/opt/kinerja/landing:ro"], name
        assert SERVICES[name]["environment"]["KINERJA_LANDING"] == "/opt/kinerja/landing"


def test_secrets_come_only_from_the_environment_and_env_example_names_them():
    text = (ROOT / "docker-compose.yml").read_text()
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    required = {m[1] for m in VARIABLE.finditer(text) if ":?" in m[0]}
    assert required and required <= set(example)
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"PASSWORD|SECRET|FERNET", key):
                assert VARIABLE.fullmatch(str(value)) and ":?" in str(value), (name, key)
            for url in re.findall(r"://[^:/@]+:([^@]+)@", str(value)):
                assert VARIABLE.fullmatch(url) and ":?" in url, (name, key)
    # .env holds the secrets: never committed, never sent to the image build.
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
