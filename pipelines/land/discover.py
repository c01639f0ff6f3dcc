"""Find a period's landing files: <landing>/<YYYY-MM>/<source>/<any-name>.csv|.xlsx (contracts §2).

The landing tree is the truth: a run stages exactly what the period's folder holds now. Files are
read in source order, then name order (which decides which of two duplicate keys stays). Folders
that are not a source are reported and ignored; links that point outside the landing tree are
refused, never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.errors import UsageError
from pipelines.period import Period

READABLE = (".csv", ".xlsx")


@dataclass(frozen=True)
class LandingFile:
    file_no: int
    source: str
    path: Path
    name: str  # as reported: <source>/<file name>
    refusal: tuple[str, str] | None = None  # (rule, detail) when the file is never read

    @property
    def kind(self) -> str:
        return self.path.suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Notice:
    source: str | None
    path: str
    rule: str
    detail: str


@dataclass
class Landing:
    root: Path
    period: Period
    files: list[LandingFile] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def files_of(self, source: str) -> list[LandingFile]:
        return [f for f in self.files if f.source == source]


def _outside(path: Path, root: Path) -> Path | None:
    """Where a link leads when that is outside the landing tree, else None."""
    target = path.resolve()
    return None if target.is_relative_to(root) else target


def discover(root: Path, period: Period, sources: list[str]) -> Landing:
    if not root.is_dir():
        raise UsageError(f"landing folder {root} does not exist")
    root = root.resolve()
    folder = root / str(period)
    if not folder.is_dir():
        raise UsageError(f"landing folder {folder} does not exist: nothing was delivered for {period}")
    landing = Landing(root, period)
    entries = {p.name: p for p in folder.iterdir()}

    for name in sorted(entries):
        path = entries[name]
        if name in sources and path.is_dir():
            continue
        rule = "NOTICE_UNKNOWN_FOLDER" if path.is_dir() else "NOTICE_IGNORED_FILE"
        landing.notices.append(Notice(None, f"{period}/{name}", rule, name))

    for source in sources:
        source_dir = entries.get(source)
        if source_dir is None or not source_dir.is_dir():
            continue
        if (target := _outside(source_dir, root)) is not None:
            rule = "FILE_LINK_OUTSIDE"
            landing.notices.append(Notice(source, f"{period}/{source}", rule, str(target)))
            continue
        for path in sorted(source_dir.iterdir(), key=lambda p: p.name):
            _add_file(landing, source, path, root)
    return landing


def _add_file(landing: Landing, source: str, path: Path, root: Path) -> None:
    name = f"{source}/{path.name}"
    if path.name.startswith((".", "~$")) or path.is_dir():
        # Hidden files, spreadsheet lock files and sub-folders are not extracts.
        rule = "NOTICE_IGNORED_FILE"
        landing.notices.append(Notice(source, name, rule, name))
        return
    refusal = None
    if (target := _outside(path, root)) is not None:
        refusal = ("FILE_LINK_OUTSIDE", str(target))
    elif path.suffix.lower() not in READABLE:
        refusal = ("FILE_TYPE", path.suffix or "(none)")
    landing.files.append(LandingFile(len(landing.files) + 1, source, path, name, refusal))
