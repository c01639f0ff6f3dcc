import os

import pytest

from pipelines.errors import UsageError
from pipelines.land.discover import discover
from pipelines.period import Period
from pipelines.rules.columns import sources

P = Period.parse("2026-10")


def _touch(path, text="nip\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_files_in_source_then_name_order_with_notices(tmp_path):
    _touch(tmp_path / "2026-10/attendance/b.csv")
    _touch(tmp_path / "2026-10/attendance/a.xlsx")
    _touch(tmp_path / "2026-10/employees/z.csv")
    _touch(tmp_path / "2026-10/foto_kegiatan/x.jpg")
    _touch(tmp_path / "2026-10/employees/~$z.xlsx")
    _touch(tmp_path / "2026-10/employees/notes.txt")
    landing = discover(tmp_path, P, list(sources()))
    assert [f.name for f in landing.files] == [
        "employees/notes.txt", "employees/z.csv", "attendance/a.xlsx", "attendance/b.csv",
    ]
    assert [f.file_no for f in landing.files] == [1, 2, 3, 4]
    assert landing.files[0].refusal[0] == "FILE_TYPE"
    rules = {(n.path, n.rule) for n in landing.notices}
    assert ("2026-10/foto_kegiatan", "NOTICE_UNKNOWN_FOLDER") in rules
    assert ("employees/~$z.xlsx", "NOTICE_IGNORED_FILE") in rules


def test_link_outside_the_landing_tree_is_refused_unread(tmp_path):
    outside = _touch(tmp_path / "elsewhere" / "secret.csv")
    root = tmp_path / "landing"
    (root / "2026-10/employees").mkdir(parents=True)
    os.symlink(outside, root / "2026-10/employees/link.csv")
    landing = discover(root, P, list(sources()))
    assert landing.files[0].refusal[0] == "FILE_LINK_OUTSIDE"


def test_link_inside_the_tree_is_read(tmp_path):
    target = _touch(tmp_path / "shared" / "emp.csv")
    (tmp_path / "2026-10/employees").mkdir(parents=True)
    os.symlink(target, tmp_path / "2026-10/employees/emp.csv")
    assert discover(tmp_path, P, list(sources())).files[0].refusal is None


def test_missing_period_folder_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="2026-10"):
        discover(tmp_path, P, list(sources()))
