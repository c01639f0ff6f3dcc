"""Every rule that can refuse a file or reject a row: a stable code, its severity, plain words.

Codes are stable (departments and dashboards filter on them); the words say what is wrong and
what to do. Row messages are SQL format() templates: `%s` is the value as written in the file,
`{column}` the column name, `{detail}` a rule-specific fact (an allowed list, a range).
"""

from __future__ import annotations

from dataclasses import dataclass

FILE = "file"  # refuses the whole file
ROW = "row"  # rejects the row, the rest of the file loads
NOTICE = "notice"  # reported, nothing rejected


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    message: str


RULES = {
    rule.code: rule
    for rule in [
        # file-level
        Rule("FILE_UNREADABLE", FILE, "the file cannot be read as {detail}; save it again as CSV (UTF-8) or XLSX"),
        Rule("FILE_ENCODING", FILE, "the file is neither UTF-8 nor Windows-1252 text ({detail}); save it as 'CSV UTF-8'"),
        Rule("FILE_TYPE", FILE, "files of type '{detail}' are not read; save it as .csv or .xlsx"),
        Rule("FILE_LINK_OUTSIDE", FILE, "this is a link to {detail}, outside the landing folder; copy the file itself into the folder"),
        Rule("FILE_EMPTY", FILE, "the file has no data rows below its header; send the file with its data"),
        Rule("FILE_MISSING_COLUMN", FILE, "required column {detail} is missing; the header row (row 1) must name it"),
        Rule("FILE_DUPLICATE_COLUMN", FILE, "column {detail} appears more than once in the header; keep one"),
        # row-level
        Rule("ROW_FIELD_COUNT", ROW, "the row has %s values but the header has {detail} columns; put values that contain the delimiter in double quotes"),
        Rule("REQUIRED", ROW, "{column} is empty but required; fill it in"),
        Rule("NIP_AS_NUMBER", ROW, "{column} \"%s\" arrived as a number and has lost digits; format the column as text in the spreadsheet and export again"),
        Rule("NIP_LENGTH", ROW, "{column} \"%s\" is not 18 digits; check the NIP"),
        Rule("NIP_FORMAT", ROW, "{column} \"%s\" is not a valid {detail} NIP (birth date, appointment, sex digit or sequence is impossible); check the NIP"),
        Rule("DATE_FORMAT", ROW, "{column} \"%s\" is not a valid date; write YYYY-MM-DD or DD/MM/YYYY (day first)"),
        Rule("DATETIME_FORMAT", ROW, "{column} \"%s\" is not a valid date and time; write YYYY-MM-DD HH:MM[:SS] or DD/MM/YYYY HH:MM[:SS]"),
        Rule("TIME_FORMAT", ROW, "{column} \"%s\" is not a valid time; write HH:MM (00:00 to 23:59)"),
        Rule("NUMBER_FORMAT", ROW, "{column} \"%s\" is not a whole number; write digits only"),
        Rule("VALUE_NOT_ALLOWED", ROW, "{column} \"%s\" is not one of {detail}; use one of these values"),
        Rule("RANGE", ROW, "{column} %s is outside the allowed range {detail}"),
        # notices
        Rule("NOTICE_UNKNOWN_FOLDER", NOTICE, "folder '{detail}' is not a source and was not read"),
        Rule("NOTICE_IGNORED_FILE", NOTICE, "'{detail}' was not read (not a data file of a source folder)"),
        Rule("WARN_UNKNOWN_COLUMN", NOTICE, "column(s) {detail} are not part of this source and were ignored"),
    ]
}


def message(code: str, *, column: str = "", detail: str = "") -> str:
    """The rule's words with column and detail filled in (`%s` stays for SQL's format())."""
    return RULES[code].message.format(column=column, detail=detail)


def severity(code: str) -> str:
    return RULES[code].severity
