"""The demo district's areas and facilities, modelled on Kota Mataram (NTB).

Province, kota, its six kecamatan and fifty kelurahan carry their real Kemendagri codes and
names (``data/mataram.json``). Lingkungan (level HAMLET) and RT are synthetic: each kelurahan
gets 4–9 lingkungan named from a list, each lingkungan 3–6 RTs. Facilities: the Dinas
Kesehatan, eleven puskesmas with their working areas, one pustu per kelurahan, one posyandu
per lingkungan and three hospitals. Every row gets a precomputed primary key so that the
population can point at it before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from ilp.places.models import AreaLevel, FacilityKind

DATA_DIR = Path(__file__).resolve().parent / "data"
CITY_CODE = "52.71"


@cache
def load_json(name: str) -> dict:
    """One of the data files shipped with the generator (names, Mataram geography)."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


@dataclass
class AreaRow:
    id: int
    code: str
    name: str
    level: int
    kind: str
    parent_id: int | None


@dataclass
class FacilityRow:
    id: int
    kind: str
    code: str
    name: str
    area_id: int
    parent_id: int | None
    address: str = ""
    phone: str = ""
    serves: list[int] = field(default_factory=list)


@dataclass
class Geography:
    """Everything above the household, plus flat numpy lookups the population draws from."""

    areas: list[AreaRow]
    facilities: list[FacilityRow]
    by_code: dict[str, AreaRow]
    # One entry per kelurahan (village), in code order.
    village_ids: np.ndarray
    village_district_digits: np.ndarray  # e.g. "527101" per village
    village_district_index: np.ndarray  # 0..5
    village_weight: np.ndarray  # share of the population
    village_hamlet_start: np.ndarray
    village_hamlet_count: np.ndarray
    # One entry per lingkungan.
    hamlet_ids: np.ndarray
    hamlet_names: list[str]
    hamlet_rt_start: np.ndarray
    hamlet_rt_count: np.ndarray
    # One entry per RT.
    rt_ids: np.ndarray
    rt_numbers: np.ndarray
    district_digits: list[str]  # the six kecamatan, "527101".."527106"
    district_codes: list[str] = field(default_factory=list)


def build_geography(rng: np.random.Generator, *, area_pk0: int = 1, facility_pk0: int = 1):
    """Lay out the district. `rng` decides the synthetic parts (lingkungan, RT, weights)."""
    data = load_json("mataram.json")
    areas: list[AreaRow] = []
    by_code: dict[str, AreaRow] = {}

    def add(code: str, name: str, level: int, kind: str, parent: AreaRow | None) -> AreaRow:
        row = AreaRow(area_pk0 + len(areas), code, name, level, kind, parent and parent.id)
        areas.append(row)
        by_code[code] = row
        return row

    province = add(data["province"]["code"], data["province"]["name"], AreaLevel.PROVINCE, "", None)
    city = add(data["city"]["code"], data["city"]["name"], AreaLevel.REGENCY, "kota", province)
    hamlet_pool: list[str] = data["hamlet_names"]

    village_ids, v_digits, v_dindex, v_hstart, v_hcount = [], [], [], [], []
    hamlet_ids, hamlet_names, h_rstart, h_rcount = [], [], [], []
    rt_ids, rt_numbers = [], []
    district_digits, district_codes = [], []
    for d_index, district in enumerate(data["districts"]):
        kec = add(district["code"], district["name"], AreaLevel.DISTRICT, "kecamatan", city)
        digits = kec.code.replace(".", "")
        district_digits.append(digits)
        district_codes.append(kec.code)
        for suffix, vname in district["villages"]:
            village = add(f"{kec.code}.{suffix}", vname, AreaLevel.VILLAGE, "kelurahan", kec)
            village_ids.append(village.id)
            v_digits.append(digits)
            v_dindex.append(d_index)
            n_hamlets = int(rng.integers(4, 10))
            names = rng.choice(len(hamlet_pool), size=n_hamlets, replace=False)
            v_hstart.append(len(hamlet_ids))
            v_hcount.append(n_hamlets)
            for h, name_index in enumerate(sorted(int(i) for i in names), start=1):
                hamlet = add(
                    f"{village.code}.{h:02d}",
                    hamlet_pool[name_index],
                    AreaLevel.HAMLET,
                    "lingkungan",
                    village,
                )
                hamlet_ids.append(hamlet.id)
                hamlet_names.append(hamlet.name)
                n_rts = int(rng.integers(3, 7))
                h_rstart.append(len(rt_ids))
                h_rcount.append(n_rts)
                for r in range(1, n_rts + 1):
                    rt = add(f"{hamlet.code}.{r:03d}", f"RT {r:03d}", AreaLevel.RT, "rt", hamlet)
                    rt_ids.append(rt.id)
                    rt_numbers.append(r)

    # Kelurahan populations in Mataram range roughly from 4,000 to 25,000.
    weight = rng.lognormal(mean=0.0, sigma=0.45, size=len(village_ids))
    weight /= weight.sum()

    facilities = _facilities(data, by_code, rng, facility_pk0)
    geo = Geography(
        areas=areas,
        facilities=facilities,
        by_code=by_code,
        village_ids=np.array(village_ids, dtype=np.int64),
        village_district_digits=np.array(v_digits),
        village_district_index=np.array(v_dindex, dtype=np.int64),
        village_weight=weight,
        village_hamlet_start=np.array(v_hstart, dtype=np.int64),
        village_hamlet_count=np.array(v_hcount, dtype=np.int64),
        hamlet_ids=np.array(hamlet_ids, dtype=np.int64),
        hamlet_names=hamlet_names,
        hamlet_rt_start=np.array(h_rstart, dtype=np.int64),
        hamlet_rt_count=np.array(h_rcount, dtype=np.int64),
        rt_ids=np.array(rt_ids, dtype=np.int64),
        rt_numbers=np.array(rt_numbers, dtype=np.int64),
        district_digits=district_digits,
        district_codes=district_codes,
    )
    return geo


def _phone(rng: np.random.Generator) -> str:
    return f"0370-{int(rng.integers(600000, 699999))}"


def _facilities(data, by_code, rng, pk0: int) -> list[FacilityRow]:
    rows: list[FacilityRow] = []

    def add(**kw) -> FacilityRow:
        row = FacilityRow(id=pk0 + len(rows), **kw)
        rows.append(row)
        return row

    city = by_code[CITY_CODE]
    dk = data["dinkes"]
    add(
        kind=FacilityKind.DINKES,
        code=dk["code"],
        name=dk["name"],
        area_id=by_code[dk["located"]].id,
        parent_id=None,
        address=dk["address"],
        phone=_phone(rng),
        serves=[city.id],
    )
    flowers = data["posyandu_names"]
    for p_index, pkm in enumerate(data["puskesmas"], start=1):
        located = by_code[pkm["located"]]
        kec_digits = located.code[:8].replace(".", "")
        puskesmas = add(
            kind=FacilityKind.PUSKESMAS,
            code=f"P{kec_digits}01{p_index:02d}",
            name=f"Puskesmas {pkm['name']}",
            area_id=located.id,
            parent_id=None,
            address=f"Kelurahan {located.name}, Kota Mataram",
            phone=_phone(rng),
            serves=[by_code[c].id for c in pkm["serves"]],
        )
        for village_code in pkm["serves"]:
            village = by_code[village_code]
            pustu = add(
                kind=FacilityKind.PUSTU,
                code=f"PUSTU-{village_code.replace('.', '')}",
                name=f"Pustu {village.name}",
                area_id=village.id,
                parent_id=puskesmas.id,
                address=f"Kelurahan {village.name}",
                serves=[village.id],
            )
            hamlets = [a for c, a in by_code.items() if c.startswith(village_code + ".")]
            hamlets = [a for a in hamlets if a.level == AreaLevel.HAMLET]
            offset = int(rng.integers(0, len(flowers)))
            for h_index, hamlet in enumerate(hamlets):
                flower = flowers[(offset + h_index) % len(flowers)]
                add(
                    kind=FacilityKind.POSYANDU,
                    code=f"POS-{hamlet.code.replace('.', '')}",
                    name=f"Posyandu {flower} {hamlet.name}",
                    area_id=hamlet.id,
                    parent_id=pustu.id,
                    address=f"Lingkungan {hamlet.name}, {village.name}",
                    serves=[hamlet.id],
                )
    for hospital in data["hospitals"]:
        add(
            kind=FacilityKind.HOSPITAL,
            code=hospital["code"],
            name=hospital["name"],
            area_id=by_code[hospital["located"]].id,
            parent_id=None,
            phone=_phone(rng),
            serves=[city.id],
        )
    return rows
