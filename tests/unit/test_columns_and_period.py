import pytest

from pipelines.errors import UsageError
from pipelines.period import Period
from pipelines.rules.columns import map_header, sources


def test_all_contract_sources_are_defined():
    assert list(sources()) == [
        "employees", "leave", "rosters", "attendance", "service_catalog", "service_tickets",
        "service_surveys", "traffic_violations", "area_assignments", "holidays", "skp_ratings", "tpp_base",
    ]


def test_header_aliases_case_and_spaces():
    mapped = map_header(sources()["attendance"], [" NIP ", "Waktu_Presensi", "JENIS", "catatan"])
    assert mapped.positions == {"nip": 1, "punched_at": 2, "direction": 3}
    assert mapped.missing == [] and mapped.unknown == ["catatan"]


def test_header_twice_by_alias_is_duplicated():
    mapped = map_header(sources()["employees"], ["nip", "nama", "nip_pegawai"])
    assert mapped.duplicated == ["nip"]


def test_missing_required_columns_are_listed():
    mapped = map_header(sources()["attendance"], ["nip", "jenis"])
    assert mapped.missing == ["punched_at"]


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-10", "2026/10", "", "2026-10-01"])
def test_bad_period_is_a_usage_error(text):
    with pytest.raises(UsageError):
        Period.parse(text)


def test_period_arithmetic():
    p = Period.parse("2026-01")
    assert str(p.shift(-1)) == "2025-12" and str(p.shift(12)) == "2027-01"
    assert p.end_day.isoformat() == "2026-02-01"
