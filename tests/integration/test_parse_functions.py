"""The SQL parse functions on the awkward cases of contracts §2.1 and R5 (real PostgreSQL)."""

import datetime as dt

import pytest

from tests.helpers import PNS_1, PPPK_1, query

WIB = dt.timezone(dt.timedelta(hours=7))


def one(db, sql, *params):
    return query(db, f"select {sql}", params)[0][0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/10/2026", dt.date(2026, 10, 5)),  # always day first, never DateStyle's MDY
        ("5/1/2026", dt.date(2026, 1, 5)),
        ("2026-10-05", dt.date(2026, 10, 5)),
        ("2026-10-05 00:00:00", dt.date(2026, 10, 5)),  # a spreadsheet date cell
        ("29/02/2028", dt.date(2028, 2, 29)),
        ("31/09/2026", None),
        ("29/02/2026", None),
        ("2026-10-05 08:00", None),  # a time that is not midnight is no date
        ("10/05/26", None),
        ("tanggal", None),
    ],
)
def test_to_date(db, text, expected):
    assert one(db, "parse.to_date(%s)", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("05/10/2026 07:31", dt.datetime(2026, 10, 5, 7, 31, tzinfo=WIB)),
        ("2026-10-05 07:30:59", dt.datetime(2026, 10, 5, 7, 30, 59, tzinfo=WIB)),
        ("2026-10-05T07:30:00+07:00", dt.datetime(2026, 10, 5, 7, 30, tzinfo=WIB)),
        ("2026-10-05T00:30:00Z", dt.datetime(2026, 10, 5, 7, 30, tzinfo=WIB)),
        ("2026-10-05T08:30:00+0800", dt.datetime(2026, 10, 5, 7, 30, tzinfo=WIB)),
        ("2026-10-05 24:00", None),
        ("2026-10-05 07:60", None),
        ("31/09/2026 07:00", None),
        ("2026-10-05", None),  # a datetime needs its time
    ],
)
def test_to_timestamptz_without_offset_is_wib(db, text, expected):
    assert one(db, "parse.to_timestamptz(%s)", text) == expected
    assert one(db, "parse.to_timestamptz_iso_first(%s)", text) == expected


# The fast path of to_timestamptz_iso_first takes only what to_timestamptz reads the same way,
# whatever the session's DateStyle (the SQL style also writes 19 characters).
@pytest.mark.parametrize("datestyle", ["ISO, DMY", "SQL, MDY", "German"])
@pytest.mark.parametrize(
    "text",
    ["2026-10-05 07:30:59", "0999-10-05 07:30:59", "2026-10-05 23:59:59", "2026-10-05 24:00:00",
     "2026-10-05 07:59:60", "2026-09-31 07:00:00", "2026-02-29 07:00:00", "2024-02-29 07:00:00",
     "10/05/2026 07:30:59", "05.10.2026 07:30:59", "2026-10-05T07:30:59", "2026-10-05 07:30:59.5",
     "12026-10-05 07:30:5", " 2026-10-05 07:30:5", "2026-10-05 07:30:59 BC", "2026-1O-05 07:30:59",
     "", None],
)
def test_to_timestamptz_iso_first_reads_every_text_as_to_timestamptz(db, datestyle, text):
    with db.cursor() as cur:
        cur.execute("set local datestyle = %s", (datestyle,))
        # compared in SQL: the client cannot read timestamps written in the SQL or German style
        cur.execute(
            "select extract(epoch from parse.to_timestamptz_iso_first(%(t)s)),"
            " extract(epoch from parse.to_timestamptz(%(t)s))",
            {"t": text},
        )
        fast, general = cur.fetchone()
    db.rollback()
    assert fast == general


@pytest.mark.parametrize(
    "text, comma, expected",
    [("3", False, 3), ("3.0", False, 3), ("3,0", True, 3), ("3,0", False, None), ("3.5", False, None),
     ("empat", False, None), ("+2", False, 2)],
)
def test_to_integer(db, text, comma, expected):
    assert one(db, "parse.to_integer(%s, %s)", text, comma) == expected


@pytest.mark.parametrize("text, expected", [("07:30", dt.time(7, 30)), ("23:00:00", dt.time(23)), ("24:00", None), ("7.30", None)])
def test_to_time(db, text, expected):
    assert one(db, "parse.to_time(%s)", text) == expected


def test_nip_spaces_and_dots_are_removed(db):
    assert one(db, "parse.nip_digits(%s)", "19850101 201001 1 001") == PNS_1
    assert one(db, "parse.nip_digits(%s)", "19850101.201001.1.001") == PNS_1
    assert one(db, "parse.nip_digits(%s)", "19850101\t201001\u00a01 001") == PNS_1  # tab, no-break space


@pytest.mark.parametrize("text", ["1.98E+17", "1,98501E+17", "198501012010011E3"])
def test_nip_in_scientific_notation_is_a_number(db, text):
    assert one(db, "parse.is_nip_as_number(%s)", text) is True


@pytest.mark.parametrize(
    "nip, kind, valid",
    [
        (PNS_1, "PNS", True),
        (PPPK_1, "PPPK", True),
        (PPPK_1, "PNS", False),  # as PNS, appointment month 25 is no month
        (PNS_1, "PPPK", False),  # appointment year 2010 is before PPPK existed
        (PPPK_1, None, True),  # elsewhere: either pattern
        ("198513012010011001", None, False),  # birth month 13
        ("198501012010013001", "PNS", False),  # sex digit 3
        ("198501012010011000", "PNS", False),  # sequence 000
        ("198501012010131001", "PNS", False),  # appointment month 13
        ("198501011984011001", "PNS", False),  # appointed before birth
        ("19850101201001100", None, False),  # 17 digits
    ],
)
def test_nip_r5_patterns(db, nip, kind, valid):
    assert one(db, "parse.is_valid_nip(%s, %s)", nip, kind) is valid


@pytest.mark.parametrize(
    "record, fields",
    [
        ('a,"b, c",d', ["a", "b, c", "d"]),
        ('"say ""hi""",x', ['say "hi"', "x"]),
        ('"",', ["", ""]),
        ('"multi\nline",2', ["multi\nline", "2"]),
        ('5" layar,x', ['5" layar', "x"]),  # not well formed: a quote inside a value is kept
        ('"a"b,c', ["ab", "c"]),
    ],
)
def test_csv_fields(db, record, fields):
    assert one(db, "parse.csv_fields(%s, ',')", record) == fields
