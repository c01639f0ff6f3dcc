"""Errors that map to the exit statuses of contracts.md §4."""


class KinerjaError(Exception):
    exit_code = 4


class UsageError(KinerjaError):
    """Bad period, missing folder, unknown source: exit 2."""

    exit_code = 2


class DataRefused(KinerjaError):
    """The data cannot be used (e.g. no usable employees file): exit 3, nothing published."""

    exit_code = 3
