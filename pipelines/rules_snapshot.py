"""The rules each run was made with (meta.rules_snapshot, keyed by rules_version): written when a
run starts, read by `explain`, `export` and `report`, so a published period is always explained
with the rules that produced its numbers, and the operator is told when today's file differs."""

from __future__ import annotations

import json
from dataclasses import dataclass

from pipelines.resources import read_config
from pipelines.rules_file import rules, rules_path, rules_version


def record_snapshot(cur) -> str:
    """Store the rules in force (once per version); returns their rules_version."""
    version = rules_version()
    cur.execute(
        "insert into meta.rules_snapshot (rules_version, rules, sources, rules_file) values (%s, %s, %s, %s)"
        " on conflict (rules_version) do nothing",
        (version, json.dumps(rules(), default=str), json.dumps(read_config("sources.yml"), default=str),
         rules_path()),
    )
    return version


@dataclass(frozen=True)
class PeriodRules:
    """The rules a published period was made with."""

    version: str  # the period's rules_version
    rules: dict  # its snapshot; today's file when the snapshot was not kept (stored False)
    stored: bool
    current: str  # the rules_version of the file in force now

    @property
    def differs(self) -> bool:
        return self.current != self.version

    def note(self, lang: str = "id") -> str:
        """One line on which rules are shown, for the top of an output."""
        if lang == "en":
            if not self.stored:
                return (f"rules {self.version} were not stored (published before rules were kept per run):"
                        f" the thresholds shown are today's ({self.current}); re-run the period to store them")
            return f"rules of this period: {self.version}" + (
                f"; the rules file in force now differs ({self.current})" if self.differs else
                " (the same as the rules file in force now)")
        if not self.stored:
            return (f"aturan {self.version} tidak tersimpan (diterbitkan sebelum aturan disimpan per run):"
                    f" ambang yang ditampilkan adalah aturan saat ini ({self.current});"
                    " jalankan ulang periode agar tersimpan")
        return f"aturan periode ini: {self.version}" + (
            f"; berkas aturan yang berlaku sekarang berbeda ({self.current})" if self.differs else
            " (sama dengan berkas aturan yang berlaku sekarang)")


def period_rules(cur, version: str) -> PeriodRules:
    cur.execute("select to_regclass('meta.rules_snapshot') is not null")
    row = None
    if cur.fetchone()[0]:  # a warehouse not yet migrated by a run of this version has none
        cur.execute("select rules from meta.rules_snapshot where rules_version = %s", (version,))
        row = cur.fetchone()
    current = rules_version()
    if row is None:
        return PeriodRules(version, rules(), False, current)
    return PeriodRules(version, row[0], True, current)
