"""KINERJA_RULES: a city's own rules file, checked on load, and the version hashed over the file
actually used."""

import pytest

from pipelines.errors import UsageError
from pipelines.rules_file import RULES_ENV, rules, rules_version
from tests.helpers import own_rules


def test_without_kinerja_rules_the_shipped_file_is_used(monkeypatch):
    monkeypatch.delenv(RULES_ENV, raising=False)
    assert rules_version().startswith(f"rules-v{rules()['version']}-") and len(rules_version().split("-")[-1]) == 8


def test_the_version_hashes_the_file_in_use(monkeypatch, tmp_path):
    monkeypatch.delenv(RULES_ENV, raising=False)
    shipped = rules_version()
    monkeypatch.setenv(RULES_ENV, str(own_rules(tmp_path / "a", {"tpp.deduction_per_absent_day": 6.0})))
    changed = rules_version()
    assert rules()["tpp"]["deduction_per_absent_day"] == 6.0
    assert changed.startswith(f"rules-v{rules()['version']}-") and changed != shipped  # same number, other content
    monkeypatch.setenv(RULES_ENV, str(own_rules(tmp_path / "b", {"version": 99})))
    assert rules_version().startswith("rules-v99-")


def test_a_missing_file_is_a_usage_error_naming_the_path(monkeypatch, tmp_path):
    monkeypatch.setenv(RULES_ENV, str(tmp_path / "nowhere.yml"))
    with pytest.raises(UsageError, match=f"KINERJA_RULES={tmp_path / 'nowhere.yml'}: cannot read"):
        rules()


@pytest.mark.parametrize("text, problem", [
    ("tpp: [1, 2\n", "is not readable YAML"),
    ("- 1\n- 2\n", "the file must be a mapping of version, calendar"),
])
def test_unreadable_yaml_is_a_usage_error(monkeypatch, tmp_path, text, problem):
    path = tmp_path / "rules.yml"
    path.write_text(text)
    monkeypatch.setenv(RULES_ENV, str(path))
    with pytest.raises(UsageError, match=f"rules file {path}.*{problem}"):
        rules()


@pytest.mark.parametrize("changes, key, problem", [
    ({"tpp.cap": None}, "tpp.cap", "must be a number, not empty"),
    ({"data_quality.rejected_share": "5 %"}, "data_quality.rejected_share", "must be a number, not text"),
    ({"hasil_kerja.field_officer.counted_detections": "CAMERA"},
     "hasil_kerja.field_officer.counted_detections", "must be a list"),
    ({"discipline.flags.1": {"from": 4, "to": 6, "flags": "X"}}, r"discipline.flags\[2\].flag", "is missing"),
    ({"schedules.ramadan.0.date_from": "19-02-2026"}, r"schedules.ramadan\[1\].date_from",
     r"must be a date \(YYYY-MM-DD\), not text"),
    ({"ikm.categories.3.from": "nol"}, r"ikm.categories\[4\].from", "must be a number, not text"),
    ({"schedules.regular.default.5": None}, "schedules.regular.default.5", "must be a mapping of start, end"),
    ({"schedules.regular.units": {"RSUD": {1: {"start": "07:00", "end": "15:00"}}}}, "schedules.regular.units.RSUD.2",
     "is missing"),
    ({"schedules.regular.default.8": {"start": "07:00", "end": "15:00"}}, "schedules.regular.default.8",
     "is not a weekday"),
])
def test_a_wrong_value_is_named_by_its_key(monkeypatch, tmp_path, changes, key, problem):
    monkeypatch.setenv(RULES_ENV, str(own_rules(tmp_path, changes)))
    with pytest.raises(UsageError, match=f"rules file {tmp_path / 'rules.yml'}: {key} {problem}"):
        rules()


def test_a_missing_or_misspelt_key_is_named(monkeypatch, tmp_path):
    path = own_rules(tmp_path)
    path.write_text(path.read_text().replace("min_tickets:", "min_ticket:"))
    monkeypatch.setenv(RULES_ENV, str(path))
    with pytest.raises(UsageError, match="hasil_kerja.service_counter.min_tickets is missing"):
        rules()
    path.write_text(path.read_text().replace("min_ticket:", "min_tickets:").replace("cap: 100", "cap: 100\n  kap: 1"))
    with pytest.raises(UsageError, match=r"tpp.kap is not a known key \(known: deduction_by_category"):
        rules()


def test_a_city_may_set_its_own_weekday_hours_and_units(monkeypatch, tmp_path):
    monkeypatch.setenv(RULES_ENV, str(own_rules(tmp_path, {
        "schedules.regular.units": {"RSUD": {day: {"start": "07:00", "end": "15:00"} for day in range(1, 7)}},
        "schedules.ramadan": [],
    })))
    assert rules()["schedules"]["regular"]["units"]["RSUD"][6]["end"] == "15:00"
