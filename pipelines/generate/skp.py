"""The supervisors' SKP ratings as e-Kinerja exports them (skp_ratings).

Every unit head rates their staff (the heads themselves are rated by the Sekda or the Wali Kota,
who are not in these extracts: no evaluator NIP). Most units export each month; the kecamatan
offices export the quarter's evaluation (`2026-TW4`: one rating for the quarter's three months)
in their Excel shape with upper-case values. A few staff are not rated yet when the export is
made (their supervisor is late, or they joined late in the month): they stay PARTIAL.
"""

from __future__ import annotations

import random
from dataclasses import replace

from pipelines.generate.city import SERVICE_COUNTER
from pipelines.generate.people import HABITS, Person
from pipelines.generate.periods import Month
from pipelines.generate.world import World
from pipelines.generate.writers import CSV, EXCEL_CSV, Extract

COLUMNS = ("nip", "rating_period", "rating_hasil_kerja", "rating_perilaku", "evaluator_nip")
HEADERS = dict(nip="nip_pegawai", rating_period="periode", rating_hasil_kerja="predikat_hasil_kerja",
               rating_perilaku="perilaku_kerja", evaluator_nip="nip_penilai")
RATINGS = ABOVE, AS_EXPECTED, BELOW = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
KECAMATAN = replace(EXCEL_CSV.named(**HEADERS), values={
    column: {r: r.upper() for r in RATINGS} for column in ("rating_hasil_kerja", "rating_perilaku")})
NOT_YET_RATED = 0.02  # of the staff, in each export
LATE_JOINER_DAY = 16  # joined on or after this day of the month: not rated for it
# Chances of (Di Atas, Di Bawah) by attendance habits (good, average, poor: people.HABITS) and, for
# counter staff, by how well they keep the SLA: supervisors mostly see what the data sees.
BY_HABITS = dict(zip((h for _, h in HABITS), ((0.25, 0.02), (0.12, 0.08), (0.05, 0.25))))
COUNTER_SLA = ((0.95, (0.45, 0.01)), (0.80, (0.12, 0.05)), (0.0, (0.03, 0.35)))


def skp_ratings(world: World, month: Month) -> list[Extract]:
    quarter = f"{month.year}-TW{(month.month + 2) // 3}"
    first_of_quarter = month.shift(-((month.month - 1) % 3))
    monthly, quarterly = _draws(world, month.label), _draws(world, f"{first_of_quarter.label}-quarter")
    late = world.rng(month, "skp-late")
    heads = _heads(world, month)
    main, kecamatan = [], []
    for p in world.active(month):
        joined_late = p.active_from >= month.first.replace(day=LATE_JOINER_DAY)
        if late.random() < NOT_YET_RATED or joined_late:
            continue
        head = heads.get(p.unit.code)
        evaluator = head.nip if head is not None and head is not p else None
        if p.unit.kecamatan:
            kecamatan.append((p.nip, quarter, *_rating(p, quarterly[p.nip]), evaluator))
        else:
            main.append((p.nip, month.label, *_rating(p, monthly[p.nip]), evaluator))
    return [
        Extract("skp_ratings", "ekinerja_skp", CSV.named(**HEADERS), month, COLUMNS, main),
        Extract("skp_ratings", "ekinerja_skp_kecamatan", KECAMATAN, month, COLUMNS, kecamatan),
    ]


def _draws(world: World, stream: str) -> dict[str, tuple[float, float]]:
    """Two uniform draws per employee for a rating period (a quarter draws once for its months)."""
    rng = random.Random(f"{world.seed}:skp:{stream}")
    return {p.nip: (rng.random(), rng.random()) for p in world.staff}


def _heads(world: World, month: Month) -> dict[str, Person]:
    """Each unit's head in the month: the first active holder of the unit's head post."""
    heads: dict[str, Person] = {}
    for p in world.active(month):
        if p.job_type == p.unit.head and p.unit.code not in heads:
            heads[p.unit.code] = p
    return heads


def _rating(p: Person, draws: tuple[float, float]) -> tuple[str, str]:
    """(hasil kerja, perilaku kerja) as the supervisor sees them."""
    above, below = BY_HABITS[p.habits]
    if p.role == SERVICE_COUNTER:
        above, below = next(chances for floor, chances in COUNTER_SLA if p.sla_skill >= floor)
    hasil, perilaku = draws
    return _pick(hasil, above, below), _pick(perilaku, *BY_HABITS[p.habits])


def _pick(draw: float, above: float, below: float) -> str:
    return ABOVE if draw < above else BELOW if draw > 1 - below else AS_EXPECTED
