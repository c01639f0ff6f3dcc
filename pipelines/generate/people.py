"""The city's civil servants (ASN): who they are, their NIPs, habits, churn, leave and shift rotation."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from pipelines.generate.city import AREAS, FIELD_OFFICER, OFFICE, SERVICE_COUNTER, SHIFT, UNITS, Post, Unit
from pipelines.generate.periods import Calendar, Month

# Shift times in seconds from the start of the shift date; the night shift ends the next morning.
SHIFTS = {"P": (7 * 3600, 15 * 3600), "S": (15 * 3600, 23 * 3600), "M": (23 * 3600, 31 * 3600)}
ROTATION = "PPSSMMLL"  # pagi, siang, malam, libur: the common 8-day hospital rotation

MALE = ("Budi", "Agus", "Slamet", "Bambang", "Joko", "Heru", "Teguh", "Wahyu", "Eko", "Rudi", "Hendra", "Arif",
        "Yusuf", "Imam", "Fajar", "Andi", "Bayu", "Dimas", "Rizky", "Ahmad", "Muhammad", "Hadi", "Sigit",
        "Galih", "Bagus", "Yoga", "Anton", "Dwi", "Tri", "Sutrisno", "Purnomo", "Gunawan")
FEMALE = ("Sri", "Siti", "Dewi", "Rina", "Endang", "Wulan", "Ratna", "Yuliana", "Ani", "Lestari", "Retno",
          "Indah", "Fitri", "Ayu", "Novi", "Dian", "Putri", "Kartika", "Maya", "Rahma", "Evi", "Nurul",
          "Astuti", "Dyah", "Nur’aini", "Tri", "Dwi", "Erna", "Yuni", "Sekar", "Anisa", "Ika")
# Javanese names have no family name; the second name still leans male or female.
SECOND_MALE = ("Santoso", "Wibowo", "Prasetyo", "Setiawan", "Hidayat", "Nugroho", "Susanto", "Purwanto", "Saputra",
               "Hartono", "Suryadi", "Utomo", "Pratama", "Wijaya", "Hakim", "Firmansyah", "Permana", "Kurniawan",
               "Syahputra", "Ma’ruf", "Kusuma")
SECOND_FEMALE = ("Rahmawati", "Wulandari", "Handayani", "Maharani", "Anggraini", "Puspitasari", "Lestari", "Sari",
                 "Hapsari", "Kusumawati", "Susanti", "Rahayu", "Pertiwi", "Kusuma", "Utami", "Fitriani")
TITLES = ("S.Kom", "S.E.", "S.H.", "S.Sos.", "S.T.", "A.Md.", "S.AP.", "M.Si.", "S.Psi.")
NURSE_TITLES = ("S.Kep., Ns.", "A.Md.Kep.", "S.Tr.Kes.")
# Names that must survive churn: they put a Windows-1252 accent and curly apostrophe (0x92) into
# the kecamatan Excel export.
FEATURED = {("KEC_SEMARANGTENGAH", 1): (False, "Sutrisno Élan"),
            ("KEC_SEMARANGTENGAH", 2): (True, "Nur’aini Rahmawati")}

PPPK_SHARE = {OFFICE: 0.15, SERVICE_COUNTER: 0.25, FIELD_OFFICER: 0.2, SHIFT: 0.35}
OFFICE_JOBS = (("ADMINISTRATOR", 6), ("PENGAWAS", 14), ("PELAKSANA", 50), ("FUNGSIONAL", 30))
STRUCTURAL = ("JPT", "ADMINISTRATOR", "PENGAWAS")  # posts held by PNS only
CHURN = 0.004  # leavers and new hires per month, as a share of headcount
LEAVE_SHARE = 0.10  # staff who start a leave in a month
# (leave_type, relative frequency, shortest and longest length in calendar days)
LEAVE_TYPES = (("CT", 40, 1, 7), ("CS", 20, 1, 4), ("DL", 15, 1, 3), ("DIKLAT", 8, 3, 12), ("CAP", 6, 1, 3),
               ("TB", 4, 7, 21), ("CB", 3, 14, 30), ("CM", 4, 30, 75))


@dataclass(frozen=True)
class Habits:
    """Daily chances of arriving late, leaving early and not coming at all without leave."""

    late: float
    early: float
    absent: float


HABITS = ((70, Habits(0.03, 0.02, 0.002)), (22, Habits(0.12, 0.06, 0.012)), (8, Habits(0.35, 0.15, 0.06)))


@dataclass(eq=False, slots=True)
class Person:
    nip: str
    name: str
    female: bool
    unit: Unit
    employment_type: str
    job_type: str
    role: str
    schedule: str
    active_from: date
    active_to: date | None
    habits: Habits
    phase: int  # place in ROTATION on day 0 (SHIFT only)
    sla_skill: float  # share of tickets finished within the SLA (SERVICE_COUNTER)
    rating: float  # 0..1, how citizens rate the officer (SERVICE_COUNTER)
    curt: bool  # rated noticeably worse on u6 and u7 (competence, courtesy)
    area: str | None  # home traffic area (DISHUB FIELD_OFFICER)

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)

    def active_in(self, month: Month) -> bool:
        return self.active_from <= month.last and (self.active_to is None or self.active_to >= month.first)

    def active_days(self, days: list[date]) -> list[date]:
        return [d for d in days if self.active_on(d)]

    def shift_on(self, day: date) -> str | None:
        if self.schedule != SHIFT or not self.active_on(day):
            return None
        code = ROTATION[(day.toordinal() + self.phase) % len(ROTATION)]
        return None if code == "L" else code


@dataclass(frozen=True)
class Leave:
    person: Person
    date_from: date
    date_to: date
    leave_type: str


def build_staff(rng: random.Random, employees: int, months: list[Month], calendar: Calendar) -> list[Person]:
    """Everyone who works for the city at some time in the window, in a stable order."""
    taken: set[str] = set()
    staff: list[Person] = []
    counters = {"phase": 0, "area": 0}
    start = months[0].first
    for unit, size in zip(UNITS, _spread(employees, [u.weight for u in UNITS], floor=3)):
        posts = [Post(1.0, OFFICE)]  # the unit head comes first
        for post in unit.posts:
            posts += [post] * max(1, round(size * post.share))
        posts += [Post(1.0, OFFICE)] * (size - len(posts))
        for n, post in enumerate(posts[:size]):
            female, name = FEATURED.get((unit.code, n), (None, None))
            job = unit.head if n == 0 else None
            staff.append(_person(rng, taken, unit, post, start, None, counters, job=job, female=female, name=name))
    for month in months:
        _churn(rng, taken, staff, month, calendar, counters)
    return staff


def plan_leave(rng: random.Random, staff: list[Person], months: list[Month], calendar: Calendar) -> list[Leave]:
    """Approved leave starting in each month of the window; a range may run into the next month."""
    plans: list[Leave] = []
    busy_until: dict[str, date] = {}
    # Cuti melahirkan (CM) is for women only.
    weights = {True: [w for _, w, _, _ in LEAVE_TYPES], False: [0 if t == "CM" else w for t, w, _, _ in LEAVE_TYPES]}
    for month in months:
        active = [p for p in staff if p.active_in(month)]
        for person in rng.sample(active, round(len(active) * LEAVE_SHARE)):
            days = person.active_days(calendar.workdays(month.first, month.last))
            if not days:
                continue
            start = rng.choice(days)
            if busy_until.get(person.nip, date.min) >= start:
                continue
            code, _, shortest, longest = rng.choices(LEAVE_TYPES, weights[person.female])[0]
            end = start + timedelta(days=rng.randint(shortest, longest) - 1)
            if person.active_to is not None:
                end = min(end, person.active_to)
            busy_until[person.nip] = end
            plans.append(Leave(person, start, end, code))
    return plans


def _spread(total: int, weights: list[int], floor: int) -> list[int]:
    """Split total by weights (largest remainder), at least `floor` each."""
    raw = [total * w / sum(weights) for w in weights]
    counts = [max(floor, int(r)) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (int(raw[i]) - raw[i], i))
    for i in by_remainder[: max(0, total - sum(counts))]:
        counts[i] += 1
    return counts


def _churn(rng: random.Random, taken: set[str], staff: list[Person], month: Month, calendar: Calendar,
           counters: dict[str, int]) -> None:
    """A few leave the city during the month, as many join (active_to / active_from inside it)."""
    featured = {name for _, name in FEATURED.values()}
    stayers = [p for p in staff if p.active_in(month) and p.active_to is None and p.active_from < month.first
               and p.job_type not in ("JPT", "ADMINISTRATOR") and p.name not in featured]
    moves = max(1, round(len(stayers) * CHURN))
    for person in rng.sample(stayers, moves):
        # Never on the last days: a night shift then would end after the person left.
        person.active_to = month.first + timedelta(days=rng.randint(4, month.last.day - 4))
    joining_days = calendar.workdays(month.first + timedelta(days=1), month.first + timedelta(days=24))
    weights = [u.weight for u in UNITS]
    for _ in range(moves):
        unit = rng.choices(UNITS, weights)[0]
        draw, post = rng.random(), Post(1.0, OFFICE)
        for candidate in unit.posts:
            if draw < candidate.share:
                post = candidate
                break
            draw -= candidate.share
        staff.append(_person(rng, taken, unit, post, month.first, rng.choice(joining_days), counters))


def _person(rng: random.Random, taken: set[str], unit: Unit, post: Post, start: date, joined: date | None,
            counters: dict[str, int], *, job: str | None = None, female: bool | None = None,
            name: str | None = None) -> Person:
    """One employee: a veteran appointed before `start`, or a new hire who joins on `joined`."""
    female = rng.random() < 0.5 if female is None else female
    nurse = post.schedule == SHIFT and post.role == OFFICE
    if job is None:
        if nurse:
            job = "FUNGSIONAL"
        elif post.role == OFFICE:
            job = rng.choices([j for j, _ in OFFICE_JOBS], [w for _, w in OFFICE_JOBS])[0]
        else:
            job = "PELAKSANA" if rng.random() < 0.8 else "FUNGSIONAL"
    share = PPPK_SHARE[SHIFT if post.schedule == SHIFT else post.role]
    pppk = job not in STRUCTURAL and rng.random() < share
    if joined is None:
        birth = _birthday(rng, start.year - rng.randint(24, 58))
        if pppk:
            appointed = date(rng.randint(2019, max(2019, start.year - 1)), 3, 1)
        else:
            appointed = date(min(birth.year + rng.randint(21, 35), start.year - 1), rng.randint(1, 12), 1)
    else:
        birth = _birthday(rng, joined.year - rng.randint(23, 35))
        appointed = joined
    if name is None:
        name = f"{rng.choice(FEMALE if female else MALE)} {rng.choice(SECOND_FEMALE if female else SECOND_MALE)}"
        if rng.random() < 0.35:
            name += ", " + rng.choice(NURSE_TITLES if nurse else TITLES)
    phase, area = 0, None
    if post.schedule == SHIFT:
        phase = counters["phase"] % len(ROTATION) if joined is None else rng.randrange(len(ROTATION))
        counters["phase"] += 1
    if post.role == FIELD_OFFICER:
        area = AREAS[counters["area"] % len(AREAS)].code if joined is None else rng.choice(AREAS).code
        counters["area"] += 1
    return Person(
        nip=_nip(rng, taken, birth, appointed, female, pppk),
        name=name,
        female=female,
        unit=unit,
        employment_type="PPPK" if pppk else "PNS",
        job_type=job,
        role=post.role,
        schedule=post.schedule,
        active_from=appointed if joined is None else joined,
        active_to=None,
        habits=rng.choices([h for _, h in HABITS], [w for w, _ in HABITS])[0],
        phase=phase,
        sla_skill=_sla_skill(rng),
        rating=rng.random() ** 0.5,  # most citizens are satisfied: few ratings near 0
        curt=rng.random() < 0.1,
        area=area,
    )


def _sla_skill(rng: random.Random) -> float:
    """Most officers meet the SLA 90-99 % of the time; some 80-90 %, a few clearly less."""
    draw = rng.random()
    if draw < 0.75:
        return 0.9 + 0.09 * rng.random()
    if draw < 0.95:
        return 0.8 + 0.1 * rng.random()
    return 0.6 + 0.2 * rng.random()


def _birthday(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _nip(rng: random.Random, taken: set[str], birth: date, appointed: date, female: bool, pppk: bool) -> str:
    """R5: birth date + appointment (PNS: YYYYMM; PPPK: YYYY and code 21) + sex digit + sequence."""
    sex = "2" if female else "1"
    stem = f"{birth:%Y%m%d}{appointed.year}21{sex}" if pppk else f"{birth:%Y%m%d}{appointed:%Y%m}{sex}"
    while (nip := f"{stem}{rng.randint(1, 999):03d}") in taken:
        pass
    taken.add(nip)
    return nip
