"""Finding the header among a file's first rows, and the layout profiles it may be read with."""

import pytest

from pipelines.land.header import csv_rows, find_header, find_sheet, missing_detail
from pipelines.land.layouts import layouts_of
from pipelines.rules.columns import map_header, normalise_header_name, sources

ATTENDANCE = sources()["attendance"]


@pytest.mark.parametrize("written, folded", [
    ("Waktu Presensi", "waktu_presensi"), (" waktu_presensi ", "waktu_presensi"), ("WAKTU-PRESENSI", "waktu_presensi"),
    ("\ufeffNIP", "nip"), ("AC-No.", "ac_no"), ("Jam  Masuk", "jam_masuk"), ("No.", "no"), ("", ""),
])
def test_header_names_fold_case_spaces_underscores_and_punctuation(written, folded):
    assert normalise_header_name(written) == folded


def test_header_with_spaces_maps_onto_the_alias():
    mapped = map_header(ATTENDANCE, ["NIP", "Waktu Presensi", "Jenis"])
    assert mapped.positions == {"nip": 1, "punched_at": 2, "direction": 3} and not mapped.missing


def test_header_below_a_title_is_found_with_its_own_delimiter():
    header = find_header(ATTENDANCE, csv_rows(["REKAP ABSENSI OKTOBER 2026", "", "NIP;Waktu Presensi", "1;2"]))
    assert (header.row, header.delimiter, header.found, header.layout) == (3, ";", True, None)


def test_no_header_in_the_first_rows_keeps_the_best_try_for_the_message():
    header = find_header(ATTENDANCE, csv_rows(["REKAP", "nip,jam", "x,y"]))
    assert (header.row, header.found, header.columns.missing) == (2, False, ["punched_at"])
    assert find_header(ATTENDANCE, csv_rows(["", " , "])) is None


def test_a_header_past_the_first_ten_rows_is_not_looked_for():
    assert not find_header(ATTENDANCE, csv_rows(["title"] * 10 + ["nip,punched_at"])).found


def test_machine_log_profile_renames_columns_and_adds_states():
    header = find_header(ATTENDANCE, csv_rows(["AC-No.,No.,Name,Time,State,Exception"]))
    assert header.layout.name == "machine_log"
    assert header.columns.positions == {"nip": 1, "punched_at": 4, "direction": 5}
    assert header.columns.unknown == []  # No., Name and Exception are expected, not reported
    states = header.source.column("direction").values
    assert {k: states[k] for k in ("C/IN", "C/OUT", "CHECK IN", "CHECK OUT", "MASUK", "PULANG")} == {
        "C/IN": "IN", "C/OUT": "OUT", "CHECK IN": "IN", "CHECK OUT": "OUT", "MASUK": "IN", "PULANG": "OUT"}
    assert sources()["attendance"].column("direction").values.get("C/IN") is None  # only for this layout


def test_daily_summary_profile_places_the_date_and_the_times():
    header = find_header(ATTENDANCE, csv_rows(["No,NIP,Nama,Tanggal,Jam Masuk,Jam Pulang"]))
    assert header.layout.name == "daily_summary" and header.found
    assert header.columns.positions == {"nip": 2}
    assert (header.day.date, header.day.times) == (4, (("IN", 5), ("OUT", 6)))


def test_profiles_belong_to_their_source():
    assert {layout.name for layout in layouts_of("attendance")} == {"machine_log", "daily_summary"}
    assert not find_header(sources()["leave"], csv_rows(["AC-No.,Time,State"])).found


def test_the_sheet_with_the_columns_is_chosen():
    header = find_sheet(ATTENDANCE, [("Ringkasan", [["Jumlah", "2"]]), ("Data", [["Judul"], [], ["nip", "waktu"]])])
    assert (header.sheet, header.row, header.sheets) == ("Data", 3, ("Ringkasan", "Data"))


def test_missing_detail_lists_found_nearest_and_profiles():
    header = find_header(ATTENDANCE, csv_rows(["NIP,Waktu Absen"]))
    detail = missing_detail(ATTENDANCE, header)
    assert detail.startswith("'punched_at' (or waktu, waktu_presensi) (the header has: NIP, Waktu Absen)")
    assert "; nearest expected names: Waktu Absen -> waktu_presensi" in detail
    assert "; layouts read as they come: machine_log (AC-No.,Name,Time,State)" in detail
