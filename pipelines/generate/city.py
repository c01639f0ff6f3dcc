"""The fixed shape of a Semarang-like city: its units, public services and traffic areas."""

from __future__ import annotations

from dataclasses import dataclass

OFFICE, SERVICE_COUNTER, FIELD_OFFICER = "OFFICE", "SERVICE_COUNTER", "FIELD_OFFICER"
REGULAR, SHIFT = "REGULAR", "SHIFT"


@dataclass(frozen=True)
class Post:
    """A kind of job that takes a share of a unit's headcount (the rest is regular office work)."""

    share: float
    role: str
    schedule: str = REGULAR


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    weight: int  # relative headcount
    posts: tuple[Post, ...] = ()
    services: tuple[tuple[str, int], ...] = ()  # (service_code, relative demand) served at its counters
    head: str = "JPT"  # job type of the unit head

    @property
    def kecamatan(self) -> bool:
        return self.code.startswith("KEC_")


_KEC_SERVICES = (("SKTM", 30), ("LEGALISASI", 35), ("IUMK", 15), ("SK-AHLI-WARIS", 10), ("KK", 10))


def _kecamatan(code: str, name: str, weight: int, counters: float = 0.0) -> Unit:
    posts = (Post(counters, SERVICE_COUNTER),) if counters else ()
    return Unit(code, f"Kecamatan {name}", weight, posts, _KEC_SERVICES if counters else (), head="ADMINISTRATOR")


UNITS = (
    Unit("BKPP", "Badan Kepegawaian, Pendidikan dan Pelatihan", 5),
    Unit("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", 4),
    Unit(
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        10,
        (Post(0.45, SERVICE_COUNTER),),
        (("KTP-EL", 30), ("KK", 25), ("AKTA-LAHIR", 15), ("AKTA-MATI", 5), ("PINDAH-DATANG", 12), ("KIA", 8),
         ("AKTA-KAWIN", 5)),
    ),
    Unit("DISHUB", "Dinas Perhubungan", 14, (Post(0.35, FIELD_OFFICER), Post(0.15, FIELD_OFFICER, SHIFT))),
    Unit("DINKES", "Dinas Kesehatan", 8),
    Unit("RSUD", "RSUD K.R.M.T. Wongsonegoro", 16, (Post(0.6, OFFICE, SHIFT),)),
    Unit(
        "MPP",
        "Mal Pelayanan Publik",
        5,
        (Post(0.7, SERVICE_COUNTER),),
        (("NIB", 25), ("PBG", 5), ("SIP-NAKES", 8), ("REKLAME", 6), ("PBB-MUTASI", 10), ("KTP-EL", 20), ("KK", 15)),
    ),
    Unit("DPU", "Dinas Pekerjaan Umum", 6),
    _kecamatan("KEC_SEMARANGTENGAH", "Semarang Tengah", 4, 0.3),
    _kecamatan("KEC_BANYUMANIK", "Banyumanik", 4, 0.3),
    _kecamatan("KEC_TEMBALANG", "Tembalang", 4, 0.3),
    _kecamatan("KEC_PEDURUNGAN", "Pedurungan", 4),
    _kecamatan("KEC_CANDISARI", "Candisari", 3),
    _kecamatan("KEC_GAYAMSARI", "Gayamsari", 3),
    _kecamatan("KEC_TUGU", "Tugu", 2),
)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    sla_working_days: int
    catalog: str  # whose service_catalog file lists it


SERVICES = {
    s.code: s
    for s in (
        Service("KTP-EL", "Perekaman dan Pencetakan KTP-el", 1, "disdukcapil"),
        Service("KK", "Kartu Keluarga", 1, "disdukcapil"),
        Service("AKTA-LAHIR", "Akta Kelahiran", 3, "disdukcapil"),
        Service("AKTA-MATI", "Akta Kematian", 3, "disdukcapil"),
        Service("AKTA-KAWIN", "Akta Perkawinan", 5, "disdukcapil"),
        Service("PINDAH-DATANG", "Surat Pindah Datang", 2, "disdukcapil"),
        Service("KIA", "Kartu Identitas Anak", 1, "disdukcapil"),
        Service("NIB", "Nomor Induk Berusaha", 0, "mpp"),
        Service("PBG", "Persetujuan Bangunan Gedung", 14, "mpp"),
        Service("SIP-NAKES", "Surat Izin Praktik Tenaga Kesehatan", 7, "mpp"),
        Service("REKLAME", "Izin Penyelenggaraan Reklame", 5, "mpp"),
        Service("PBB-MUTASI", "Mutasi Objek Pajak PBB-P2", 10, "mpp"),
        Service("SKTM", "Surat Keterangan Tidak Mampu", 0, "kecamatan"),
        Service("LEGALISASI", "Legalisasi Dokumen", 0, "kecamatan"),
        Service("IUMK", "Izin Usaha Mikro Kecil", 2, "kecamatan"),
        Service("SK-AHLI-WARIS", "Surat Keterangan Ahli Waris", 7, "kecamatan"),
    )
}


@dataclass(frozen=True)
class Area:
    code: str
    camera_per_day: float  # 0: no ETLE camera in the area
    reports_per_day: float


AREAS = (
    Area("SMG-TUGU", 34.0, 4.0),
    Area("SMG-SIMPANGLIMA", 41.0, 6.0),
    Area("SMG-PANDANARAN", 28.0, 5.0),
    Area("SMG-PEMUDA", 22.0, 3.5),
    Area("SMG-JOHAR", 0.0, 9.0),
    Area("SMG-KALIGAWE", 26.0, 3.0),
    Area("SMG-BANYUMANIK", 15.0, 2.5),
    Area("SMG-TEMBALANG", 0.0, 4.5),
    Area("SMG-JATINGALEH", 18.0, 2.0),
    Area("SMG-MAJAPAHIT", 20.0, 3.0),
    Area("SMG-SILIWANGI", 0.0, 3.5),
    Area("SMG-PEDURUNGAN", 12.0, 2.5),
)
