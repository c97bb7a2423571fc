"""Households, residents and pregnancies of the demo district, generated column-wise with numpy.

Households are built, not sampled person by person: a head (age by headship), usually a wife
a few years younger, children whose ages follow from the mother's age and an age-specific
fertility schedule (so infants belong to young mothers), older children leaving home, and in
some households a widowed parent. With the parameters below the result resembles Indonesia's
BPS pyramid: about 1.7 % under one year, 26 % under 15, 10 % aged 60 and over, 3.2 persons
per household. Where they live: optionally some lingkungan first at a real posyandu's density
(the demo logins' puskesmas area, ``_place_households``), the rest over the whole city by
kelurahan weight.

Identity numbers follow Dukcapil's layout: NIK = kecamatan of first registration (6 digits) +
birth date DDMMYY (day + 40 for women) + a 4-digit serial unique within that prefix; KK =
kecamatan + issue date + serial. A few residents are registered elsewhere (their kecamatan is
not in the district, flagged ``region_unknown``), a few elderly carry the customary 1 July
birth date in their NIK (flagged ``birth_date_mismatch``), and some infants and undocumented
residents have no NIK at all. Everything is drawn from one numpy Generator, so the same seed,
population and reference date give the same district.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from ilp.demo.geography import Geography, load_json
from ilp.people.models import Disability, NikFlag, PregnancyOutcome, Relationship, Sex
from ilp.people.names import name_key

# Age-specific fertility rates per woman-year, 5-year bands from 15 (Indonesia, SDKI-like).
ASFR = np.array([0.034, 0.100, 0.118, 0.098, 0.058, 0.020, 0.005])
ASFR_AGES = np.arange(15, 50, 5)
# Cumulative fertility by exact age, on a 0.1-year grid from 15 to 50.
_GRID = np.linspace(15.0, 50.0, 351)
_CUM = np.concatenate([[0.0], np.cumsum(np.repeat(ASFR, 50) * 0.1)])
_CUM /= _CUM[-1]

ROLE_HEAD, ROLE_SPOUSE, ROLE_CHILD, ROLE_PARENT = 0, 1, 2, 3
ETH_SASAK, ETH_BALI, ETH_OTHER = 0, 1, 2


@dataclass
class Population:
    """Columns ready for the writer. Person columns are aligned arrays/lists of length n."""

    families: dict[str, list]
    persons: dict[str, list]
    pregnancies: dict[str, list]

    @property
    def n_persons(self) -> int:
        return len(self.persons["id"])


def _cum_fertility(age: np.ndarray) -> np.ndarray:
    return np.interp(age, _GRID, _CUM)


def _age_at_birth(u: np.ndarray) -> np.ndarray:
    """Inverse of the cumulative fertility curve: the mother's age at a birth."""
    return np.interp(u, _CUM, _GRID)


def _head_age_pmf(ages: np.ndarray, *, widowed: bool) -> np.ndarray:
    # Adult population density falls with age (pyramid); headship rises from 20 to 35.
    density = np.clip(1.0 - np.maximum(ages - 30, 0) * 0.0205, 0.02, None)
    density *= np.where(ages >= 75, 0.55, 1.0)
    if widowed:
        headship = np.clip((ages - 20) / 50, 0.05, 1.0)
    else:
        headship = np.clip((ages - 19) / 14, 0.0, 1.0)
    pmf = density * headship
    return pmf / pmf.sum()


def _days(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(day, month, year) of datetime64[D] values."""
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months_start = dates.astype("datetime64[M]")
    months = months_start.astype(np.int64) % 12 + 1
    days = (dates - months_start.astype("datetime64[D]")).astype(np.int64) + 1
    return days, months, years


def _serials(keys: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A serial 1..9999 unique within each key (rank within the key plus a small offset)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    group_of_sorted = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(keys)]))
    rank_sorted = np.arange(len(keys)) - starts[group_of_sorted]
    offset = rng.integers(0, 40, size=len(starts))
    serial = np.empty(len(keys), dtype=np.int64)
    serial[order] = rank_sorted + 1 + offset[group_of_sorted]
    if serial.max(initial=0) > 9999:
        raise ValueError("more than 9999 identity numbers share one prefix")
    return serial


def generate_population(
    geo: Geography,
    *,
    population: int,
    rng: np.random.Generator,
    today: date,
    family_pk0: int = 1,
    person_pk0: int = 1,
    pregnancy_pk0: int = 1,
    dense_hamlets: Sequence[int] = (),
) -> Population:
    """Draw about `population` residents (whole households, so a few more) of `geo`.

    `dense_hamlets` (lingkungan area ids, most important first) are populated at a real
    posyandu's density before the rest is spread over the city (see `_place_households`)."""
    today64 = np.datetime64(today, "D")
    n_fam = int(population / 3.3) + 20
    while True:
        fam = _draw_households(n_fam, rng)
        sizes = 1 + fam["has_spouse"] + fam["n_children"] + fam["has_parent"]
        cum = np.cumsum(sizes)
        if cum[-1] >= population:
            break
        n_fam = int(n_fam * 1.3) + 20
    keep = int(np.searchsorted(cum, population, side="left")) + 1
    child_keys = ("child_family", "child_age", "child_sex", "child_rank")
    child_keep = fam["child_family"] < keep
    fam = {k: v[child_keep] if k in child_keys else v[:keep] for k, v in fam.items()}
    n_fam = keep

    # ---- where each household lives --------------------------------------------------------
    hamlet_index, village_index = _place_households(
        geo, n_fam, float(sizes[:keep].mean()), rng, dense_hamlets
    )
    rt_index = geo.hamlet_rt_start[hamlet_index] + (
        rng.random(n_fam) * geo.hamlet_rt_count[hamlet_index]
    ).astype(np.int64)
    district_index = geo.village_district_index[village_index]
    # Cakranegara (index 2) has a large Balinese community.
    bali_share = np.where(district_index == 2, 0.35, 0.06)
    u = rng.random(n_fam)
    ethnicity = np.where(u < bali_share, ETH_BALI, np.where(u < bali_share + 0.12, ETH_OTHER, 0))
    noble = (ethnicity == ETH_SASAK) & (rng.random(n_fam) < 0.10)
    # The KK was issued in the kecamatan of residence, or another Mataram kecamatan (moved).
    moved = rng.random(n_fam) < 0.10
    kk_district = np.where(moved, rng.integers(0, len(geo.district_digits), n_fam), district_index)

    # ---- persons: head, spouse, children, parent, in Kartu Keluarga order -------------------
    f_idx = np.arange(n_fam)
    spouse_f = f_idx[fam["has_spouse"] == 1]
    parent_f = f_idx[fam["has_parent"] == 1]
    p_family = np.concatenate([f_idx, spouse_f, fam["child_family"], parent_f])
    p_role = np.concatenate(
        [
            np.full(n_fam, ROLE_HEAD),
            np.full(len(spouse_f), ROLE_SPOUSE),
            np.full(len(fam["child_family"]), ROLE_CHILD),
            np.full(len(parent_f), ROLE_PARENT),
        ]
    )
    p_age = np.concatenate(
        [
            fam["head_age"],
            fam["spouse_age"][spouse_f],
            fam["child_age"],
            fam["parent_age"][parent_f],
        ]
    )
    p_female = np.concatenate(
        [
            fam["head_female"],
            1 - fam["head_female"][spouse_f],
            fam["child_sex"],
            fam["parent_female"][parent_f],
        ]
    ).astype(bool)
    p_rank = np.concatenate(
        [
            fam["head_rank"],
            fam["spouse_rank"][spouse_f],
            fam["child_rank"],
            np.zeros(len(parent_f), np.int64),
        ]
    )
    order = np.lexsort((-p_age, p_role, p_family))
    p_family, p_role, p_age, p_female, p_rank = (
        a[order] for a in (p_family, p_role, p_age, p_female, p_rank)
    )
    n = len(p_family)
    pk = person_pk0 + np.arange(n)
    is_head = p_role == ROLE_HEAD
    head_pk = np.empty(n_fam, dtype=np.int64)
    head_pk[p_family[is_head]] = pk[is_head]
    # The mother of the household's children: the wife, or a female head without spouse.
    mother_pk = np.full(n_fam, -1, dtype=np.int64)
    female_head = is_head & p_female
    mother_pk[p_family[female_head]] = pk[female_head]
    wife = (p_role == ROLE_SPOUSE) & p_female
    mother_pk[p_family[wife]] = pk[wife]
    p_mother = np.where(p_role == ROLE_CHILD, mother_pk[p_family], -1)

    age_days = np.maximum(np.floor(p_age * 365.2425).astype(np.int64), 0)
    birth = today64 - age_days
    bd_day, bd_month, bd_year = _days(birth)

    # ---- NIK ---------------------------------------------------------------------------------
    district_ints = np.array([int(d) for d in geo.district_digits], dtype=np.int64)
    elsewhere_codes = list(load_json("mataram.json")["birth_places_elsewhere"].items())
    elsewhere_ints = np.array([int(c.replace(".", "")) for c, _ in elsewhere_codes], np.int64)
    region = district_ints[kk_district[p_family]]
    adult = p_role != ROLE_CHILD
    elsewhere = rng.random(n) < np.where(adult, 0.025, 0.008)
    elsewhere_pick = rng.integers(0, len(elsewhere_ints), n)
    region = np.where(elsewhere, elsewhere_ints[elsewhere_pick], region)
    known_regions = set(district_ints.tolist())
    region_unknown = ~np.isin(region, list(known_regions))

    nik_day, nik_month = bd_day.copy(), bd_month.copy()
    customary = (p_age >= 45) & (rng.random(n) < 0.01)
    nik_day = np.where(customary, 1, nik_day)
    nik_month = np.where(customary, 7, nik_month)
    date_mismatch = customary & ((bd_day != 1) | (bd_month != 7))
    ddmmyy = (nik_day + 40 * p_female) * 10000 + nik_month * 100 + bd_year % 100
    nik_key = region * 1_000_000 + ddmmyy
    nik_int = nik_key * 10_000 + _serials(nik_key, rng)
    no_nik_p = np.where(p_age < 1, 0.45, np.where(p_age < 5, 0.05, 0.012))
    no_nik = rng.random(n) < no_nik_p
    nik_str = nik_int.astype(str)

    # ---- names -------------------------------------------------------------------------------
    full_names = _names(rng, p_family, p_role, p_female, p_rank, ethnicity, noble)
    keys_cache: dict[str, str] = {}
    name_keys = [keys_cache.get(nm) or keys_cache.setdefault(nm, name_key(nm)) for nm in full_names]

    # ---- other attributes --------------------------------------------------------------------
    has_phone = (p_age >= 17) & (rng.random(n) < np.where(p_role <= ROLE_SPOUSE, 0.8, 0.45))
    prefixes = np.array([811, 812, 813, 821, 822, 852, 853, 877, 878, 817, 819, 859, 896, 898])
    phone_num = prefixes[rng.integers(0, len(prefixes), n)] * 10**8 + rng.integers(0, 10**8, n)
    has_bpjs = rng.random(n) < np.where(no_nik, 0.3, 0.86)
    bpjs_num = (np.arange(n, dtype=np.int64) * 7919 + int(rng.integers(0, 10**9))) % 10**9
    disability_p = 0.006 + 0.0004 * p_age
    disabled = rng.random(n) < disability_p
    disability_kinds = np.array(
        [
            Disability.PHYSICAL,
            Disability.SENSORY,
            Disability.INTELLECTUAL,
            Disability.MENTAL,
            Disability.MULTIPLE,
        ]
    )
    disability_pick = disability_kinds[rng.choice(5, size=n, p=[0.40, 0.25, 0.12, 0.13, 0.10])]
    places = [name for _, name in elsewhere_codes]
    birth_place_else = np.array(places)[elsewhere_pick]

    # ---- families ------------------------------------------------------------------------
    data = load_json("mataram.json")
    streets = data["streets"]
    street_pick = rng.integers(0, len(streets), n_fam)
    house_no = rng.integers(1, 180, n_fam)
    addresses = [
        # The street and house: the RT and lingkungan are fields of their own, which the
        # pages show beside the address (written into it too, they appeared twice).
        f"{streets[s]} No. {h}"
        for s, h in zip(street_pick.tolist(), house_no.tolist(), strict=True)
    ]
    issue_start = np.datetime64("2008-01-01")
    issue_span = int((today64 - np.timedelta64(30, "D") - issue_start).astype(np.int64))
    issued = issue_start + rng.integers(0, max(issue_span, 1), n_fam)
    i_day, i_month, i_year = _days(issued)
    kk_key = district_ints[kk_district] * 1_000_000 + i_day * 10000 + i_month * 100 + i_year % 100
    kk_int = kk_key * 10_000 + _serials(kk_key, rng)

    families = {
        "id": (family_pk0 + f_idx).tolist(),
        "kk_number": kk_int.astype(str).tolist(),
        "head_id": head_pk.tolist(),
        "address": addresses,
        "rt_id": geo.rt_ids[rt_index].tolist(),
        "hamlet_id": geo.hamlet_ids[hamlet_index].tolist(),
        "village_id": geo.village_ids[village_index].tolist(),
    }
    flags = np.full(n, "[]", dtype=object)
    flags[region_unknown] = f'["{NikFlag.REGION_UNKNOWN.value}"]'
    flags[date_mismatch] = f'["{NikFlag.BIRTH_DATE_MISMATCH.value}"]'
    flags[region_unknown & date_mismatch] = (
        f'["{NikFlag.REGION_UNKNOWN.value}", "{NikFlag.BIRTH_DATE_MISMATCH.value}"]'
    )
    flags[no_nik] = "[]"
    relationship_codes = np.array(
        [Relationship.HEAD, Relationship.SPOUSE, Relationship.CHILD, Relationship.PARENT],
        dtype=object,
    )
    relationship = relationship_codes[p_role]
    in_law = (p_role == ROLE_PARENT) & (rng.random(n) < 0.4)
    relationship[in_law] = Relationship.PARENT_IN_LAW

    pf = p_family
    persons = {
        "id": pk.tolist(),
        "nik": [
            None if missing else s
            for missing, s in zip(no_nik.tolist(), nik_str.tolist(), strict=True)
        ],
        "nik_flags": flags.tolist(),
        "local_id": [f"ILP{i:08d}" for i in range(1, n + 1)],
        "bpjs_number": [
            f"0001{b:09d}" if has else ""
            for has, b in zip(has_bpjs.tolist(), bpjs_num.tolist(), strict=True)
        ],
        "full_name": full_names,
        "name_key": name_keys,
        "sex": np.where(p_female, Sex.FEMALE.value, Sex.MALE.value).tolist(),
        "birth_date": birth.astype(str).tolist(),
        "birth_place": np.where(elsewhere, birth_place_else, "Mataram").tolist(),
        "family_id": (family_pk0 + pf).tolist(),
        "relationship": [str(r) for r in relationship.tolist()],
        "mother_id": [None if m < 0 else m for m in p_mother.tolist()],
        "address": [addresses[f] for f in pf.tolist()],
        "rt_id": geo.rt_ids[rt_index[pf]].tolist(),
        "hamlet_id": geo.hamlet_ids[hamlet_index[pf]].tolist(),
        "village_id": geo.village_ids[village_index[pf]].tolist(),
        "phone": [
            f"0{p}" if has else ""
            for has, p in zip(has_phone.tolist(), phone_num.tolist(), strict=True)
        ],
        "disability": np.where(disabled, disability_pick, "").tolist(),
        "deceased_on": [None] * n,
    }

    pregnancies = _pregnancies(
        rng,
        today64=today64,
        pk=pk,
        p_family=p_family,
        p_role=p_role,
        p_female=p_female,
        p_age=p_age,
        birth=birth,
        p_mother=p_mother,
        pk0=pregnancy_pk0,
    )
    return Population(families=families, persons=persons, pregnancies=pregnancies)


# A posyandu serves one lingkungan; a real one has roughly 50–100 children under five. With
# about 8.5 % of residents under five (the pyramid above), 650–1,000 residents give 55–85.
DENSE_RESIDENTS = (650.0, 1000.0)
# The first dense lingkungan (the demo kader's) sits in the middle: about 72 under five.
FIRST_DENSE_RESIDENTS = 850.0
# However small the population, this share of households still lives elsewhere in the city,
# so that district, kecamatan and other puskesmas pages are not empty.
THIN_SHARE = 0.2


def _place_households(
    geo: Geography,
    n_fam: int,
    mean_size: float,
    rng: np.random.Generator,
    dense_hamlets: Sequence[int],
) -> tuple[np.ndarray, np.ndarray]:
    """(hamlet index, village index) of each household.

    Households are spread over the city by kelurahan weight, a lingkungan drawn uniformly
    within the kelurahan. Each dense lingkungan is then topped up to a real posyandu's
    density (`DENSE_RESIDENTS`), in the order given, as far as the population allows without
    taking more than ``1 - THIN_SHARE`` of it; where the city-wide spread already reaches that
    density (a large population) nothing is added."""
    n_villages = len(geo.village_ids)
    if not len(dense_hamlets):
        village_index = rng.choice(n_villages, size=n_fam, p=geo.village_weight)
        hamlet_index = geo.village_hamlet_start[village_index] + (
            rng.random(n_fam) * geo.village_hamlet_count[village_index]
        ).astype(np.int64)
        return hamlet_index, village_index
    hamlet_village = np.repeat(np.arange(n_villages), geo.village_hamlet_count)
    position = {int(a): i for i, a in enumerate(geo.hamlet_ids.tolist())}
    dense = np.array([position[int(a)] for a in dense_hamlets], dtype=np.int64)
    residents = rng.uniform(*DENSE_RESIDENTS, len(dense))
    residents[0] = FIRST_DENSE_RESIDENTS
    target = residents / mean_size  # households
    # Share of the thinly spread households each dense lingkungan receives anyway.
    dv = hamlet_village[dense]
    share = geo.village_weight[dv] / geo.village_hamlet_count[dv]
    top_up = target.copy()
    for _ in range(10):  # fixed point: the top-ups shrink the thin spread they depend on
        thin = max(n_fam - top_up.sum(), 0.0) * share
        top_up = np.maximum(target - thin, 0.0)
    budget = n_fam * (1.0 - THIN_SHARE)
    before = np.cumsum(top_up) - top_up
    counts = np.floor(np.clip(budget - before, 0.0, top_up)).astype(np.int64)
    dense_index = np.repeat(dense, counts)
    n_thin = n_fam - len(dense_index)
    village_index = rng.choice(n_villages, size=n_thin, p=geo.village_weight)
    thin_index = geo.village_hamlet_start[village_index] + (
        rng.random(n_thin) * geo.village_hamlet_count[village_index]
    ).astype(np.int64)
    hamlet_index = rng.permutation(np.concatenate([dense_index, thin_index]))
    return hamlet_index, hamlet_village[hamlet_index]


def _draw_households(n_fam: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Household composition: ages and sexes of head, spouse, children and parent."""
    ages = np.arange(18, 96)
    u = rng.random(n_fam)
    couple = u < 0.80
    female_alone = (u >= 0.80) & (u < 0.92)
    head_age = np.where(
        couple | ~female_alone,
        rng.choice(ages, size=n_fam, p=_head_age_pmf(ages, widowed=False)),
        rng.choice(ages, size=n_fam, p=_head_age_pmf(ages, widowed=True)),
    ) + rng.random(n_fam)
    head_female = female_alone.astype(np.int64)
    gap = np.clip(rng.normal(4.0, 3.5, n_fam), -3, 15)
    spouse_age = np.where(couple, np.maximum(head_age - gap, 17 + rng.random(n_fam)), 0.0)
    has_spouse = couple.astype(np.int64)
    mother_age = np.where(couple, spouse_age, np.where(female_alone, head_age, head_age - 4))

    # Children: births follow fertility up to the mother's current age.
    reach = _cum_fertility(np.minimum(mother_age, 49.99))
    expected = 2.8 * reach * np.where(couple, 1.0, np.where(female_alone, 0.9, 0.35))
    births = np.minimum(rng.poisson(expected), 8)
    child_family = np.repeat(np.arange(n_fam), births)
    m_age = mother_age[child_family]
    at_birth = _age_at_birth(rng.random(len(child_family)) * reach[child_family])
    child_age = np.maximum(m_age - at_birth, 0.0)
    # Grown children leave the household.
    stay = np.clip(0.97 - 0.055 * (child_age - 17.0), 0.0, 1.0)
    kept = (child_age < 17) | (rng.random(len(child_age)) < stay)
    # Siblings at least a year apart (the younger of a too-close pair is dropped).
    order = np.lexsort((-child_age, child_family))
    cf, ca = child_family[order], child_age[order]
    close = np.r_[False, (cf[1:] == cf[:-1]) & (ca[:-1] - ca[1:] < 1.0)]
    kept = kept[order] & ~close
    cf, ca = cf[kept], ca[kept]
    n_children = np.bincount(cf, minlength=n_fam)
    first = np.r_[0, np.cumsum(n_children)[:-1]]
    child_rank = np.arange(len(cf)) - first[cf]

    has_parent = ((head_age >= 25) & (head_age < 60) & (rng.random(n_fam) < 0.13)).astype(np.int64)
    parent_age = np.minimum(head_age + rng.uniform(22, 35, n_fam), 95.5)
    return {
        "head_age": head_age,
        "head_female": head_female,
        "head_rank": rng.integers(0, 4, n_fam),
        "spouse_age": spouse_age,
        "spouse_rank": rng.integers(0, 4, n_fam),
        "has_spouse": has_spouse,
        "n_children": n_children,
        "child_family": cf,
        "child_age": ca,
        "child_sex": (rng.random(len(cf)) < 0.488).astype(np.int64),
        "child_rank": child_rank,
        "has_parent": has_parent,
        "parent_age": parent_age,
        "parent_female": (rng.random(n_fam) < 0.7).astype(np.int64),
    }


def _names(rng, p_family, p_role, p_female, p_rank, ethnicity, noble) -> list[str]:
    names = load_json("names.json")
    n = len(p_family)
    eth = ethnicity[p_family]
    # A wife or parent comes from another family: her own title and ethnicity mostly match.
    own_noble = np.where(
        p_role == ROLE_CHILD, noble[p_family], (p_role == ROLE_HEAD) & noble[p_family]
    )
    own_noble |= (
        (p_role != ROLE_CHILD) & (p_role != ROLE_HEAD) & (eth == 0) & (rng.random(n) < 0.08)
    )
    r1, r2, r3 = rng.random(n), rng.random(n), rng.random(n)
    pools = {
        (ETH_SASAK, False): names["muslim_male"],
        (ETH_SASAK, True): names["muslim_female"],
        (ETH_BALI, False): names["balinese_male"],
        (ETH_BALI, True): names["balinese_female"],
        (ETH_OTHER, False): names["other_male"],
        (ETH_OTHER, True): names["other_female"],
    }
    order_m, order_f = names["balinese_order_male"], names["balinese_order_female"]
    second = names["other_second"]
    out: list[str] = []
    for i in range(n):
        e = int(eth[i])
        female = bool(p_female[i])
        pool = pools[(e, female)]
        first = pool[int(r1[i] * len(pool))]
        if e == ETH_BALI:
            rank = int(p_rank[i]) % 4
            # Four birth-order names, two spellings for the first two positions.
            slot = [0, 3, 5, 7][rank] if r3[i] < 0.5 else [1, 4, 6, 7][rank]
            title = (order_f if female else order_m)[slot]
            other = pool[int(r2[i] * len(pool))]
            name = (
                f"{title} {first}" if r3[i] < 0.6 or other == first else f"{title} {first} {other}"
            )
        elif e == ETH_OTHER:
            name = f"{first} {second[int(r2[i] * len(second))]}"
        else:
            other = pool[int(r2[i] * len(pool))]
            name = first if r3[i] < 0.25 or other == first else f"{first} {other}"
            if first in ("Muhammad", "Ahmad", "Abdul", "Siti", "Nurul", "Baiq") and name == first:
                name = f"{first} {pool[int(r3[i] * len(pool)) - 1]}"
            if own_noble[i]:
                name = f"{'Baiq' if female else 'Lalu'} {name}"
        out.append(name)
    return out


def _pregnancies(
    rng, *, today64, pk, p_family, p_role, p_female, p_age, birth, p_mother, pk0
) -> dict[str, list]:
    n = len(pk)
    abortus = rng.choice(3, size=n, p=[0.88, 0.10, 0.02])
    pk0_person = int(pk[0]) if n else 0
    # Children of each mother (kept in the household), oldest first: rank = older siblings.
    child = p_mother >= 0
    mother_index = np.where(child, p_mother - pk0_person, -1)
    children_per_mother = np.bincount(mother_index[child], minlength=n)
    child_idx = np.flatnonzero(child)
    # Persons are ordered by family then age descending, so a mother's children come in order.
    first_child = np.full(n, -1, dtype=np.int64)
    mi = mother_index[child_idx]
    uniq, first_pos = np.unique(mi, return_index=True)
    first_child[uniq] = child_idx[first_pos]
    older_siblings = np.zeros(n, dtype=np.int64)
    older_siblings[child_idx] = child_idx - first_child[mi]
    youngest_age = np.full(n, 99.0)
    np.minimum.at(youngest_age, mi, p_age[child_idx])

    # Ongoing: about 2.5 % of women aged 15–49, mostly wives, weighted by fertility.
    women_15_49 = p_female & (p_age >= 15) & (p_age < 50)
    candidates = np.flatnonzero(
        p_female & (p_role == ROLE_SPOUSE) & (p_age >= 16) & (p_age < 46) & (youngest_age > 0.9)
    )
    k = min(int(round(0.025 * women_15_49.sum())), len(candidates))
    chosen = np.array([], dtype=np.int64)
    if k:
        band = np.clip(((p_age[candidates] - 15) // 5).astype(np.int64), 0, 6)
        w = ASFR[band]
        chosen = np.sort(rng.choice(candidates, size=k, replace=False, p=w / w.sum()))
    lmp_on = today64 - rng.integers(14, 276, len(chosen))
    para_on = children_per_mother[chosen]

    # Past: live births of children under two whose mother lives with them.
    recent = np.flatnonzero(child & (p_age < 2.0))
    moms = mother_index[recent]
    gestation = np.clip(np.round(rng.normal(275, 9, len(recent))), 245, 294).astype(np.int64)
    lmp_past = birth[recent] - gestation
    para_past = older_siblings[recent]

    person = np.concatenate([pk[chosen], pk[moms]])
    lmp = np.concatenate([lmp_on, lmp_past])
    para = np.concatenate([para_on, para_past])
    ab = np.concatenate([abortus[chosen], abortus[moms]])
    ongoing = np.r_[np.ones(len(chosen), bool), np.zeros(len(recent), bool)]
    outcome_date = np.concatenate(
        [np.full(len(chosen), np.datetime64("NaT"), "datetime64[D]"), birth[recent]]
    )
    m = len(person)
    return {
        "id": list(range(pk0, pk0 + m)),
        "person_id": person.tolist(),
        "lmp": lmp.astype(str).tolist(),
        "edd": (lmp + 280).astype(str).tolist(),
        "gravida": (para + ab + 1).tolist(),
        "para": para.tolist(),
        "abortus": ab.tolist(),
        "outcome": [
            PregnancyOutcome.ONGOING.value if o else PregnancyOutcome.LIVE_BIRTH.value
            for o in ongoing.tolist()
        ],
        "outcome_date": [None if d == "NaT" else d for d in outcome_date.astype(str).tolist()],
    }
