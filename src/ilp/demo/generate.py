"""Generate the demo district into the configured database, and wipe it again.

    summary = generate_district(population=3000, seed=2026)

Same seed, population and reference date (`today`) → identical rows, primary keys included
when the tables start empty.
"""

from __future__ import annotations

import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from ilp.accounts.models import User
from ilp.core.bulk import (
    analyze,
    bulk_load,
    next_pk,
    reset_sequences,
    write_columns,
    write_rows,
)
from ilp.demo.geography import CITY_CODE, Geography, build_geography
from ilp.demo.logins import DemoLogin, demo_usernames, demo_workplaces, ensure_demo_logins
from ilp.demo.population import generate_population
from ilp.monitoring.residents import residents_rebuild
from ilp.people.models import Family, Person, Pregnancy
from ilp.places.models import Area, AreaLevel, Facility

DEFAULT_POPULATION = 40_000
DEFAULT_SEED = 2026
DEMO_MODELS = (Pregnancy, Person, Family, Facility, Area)


@dataclass
class Summary:
    areas: int = 0
    facilities: int = 0
    families: int = 0
    persons: int = 0
    pregnancies: int = 0
    seconds: float = 0.0
    logins: list[DemoLogin] = field(default_factory=list)


def district_exists() -> bool:
    return Area.objects.filter(code=CITY_CODE).exists()


def has_data() -> bool:
    """Anything in the tables the demo writes (places or people)?"""
    return Area.objects.exists() or Person.objects.exists() or Facility.objects.exists()


def _uuids(rng: np.random.Generator, n: int) -> list[str]:
    raw = rng.bytes(16 * n)
    return [uuid.UUID(bytes=raw[i : i + 16], version=4).hex for i in range(0, 16 * n, 16)]


def generate_district(
    *,
    population: int = DEFAULT_POPULATION,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    dense_area: bool = True,
    progress=None,
) -> Summary:
    """Write the district, its residents and the demo logins in one transaction.

    With `dense_area` the demo logins' puskesmas area is populated at a real posyandu's
    density first (the kader's lingkungan, then the rest of the midwife's kelurahan, then the
    rest of the puskesmas area) and the remaining residents spread thinner over the city."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    say = progress or (lambda message: None)
    geo_rng = np.random.default_rng([seed, 1])
    pop_rng = np.random.default_rng([seed, 2, population])
    id_rng = np.random.default_rng([seed, 3, population])
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    stamps = {"created_at": now, "updated_at": now}

    with transaction.atomic():
        geo = build_geography(geo_rng, area_pk0=next_pk(Area), facility_pk0=next_pk(Facility))
        say(f"areas and facilities laid out ({time.perf_counter() - started:.1f} s)")
        dense = dense_hamlets(geo) if dense_area else []
        pop = generate_population(
            geo,
            population=population,
            rng=pop_rng,
            today=today,
            family_pk0=next_pk(Family),
            person_pk0=next_pk(Person),
            pregnancy_pk0=next_pk(Pregnancy),
            dense_hamlets=dense,
        )
        say(f"{pop.n_persons} residents drawn ({time.perf_counter() - started:.1f} s)")

        areas = geo.areas
        write_columns(
            Area,
            {
                "id": [a.id for a in areas],
                "uuid": _uuids(id_rng, len(areas)),
                "code": [a.code for a in areas],
                "name": [a.name for a in areas],
                "level": [int(a.level) for a in areas],
                "kind": [a.kind for a in areas],
                "parent_id": [a.parent_id for a in areas],
            },
            stamps,
        )
        fac = geo.facilities
        write_columns(
            Facility,
            {
                "id": [f.id for f in fac],
                "uuid": _uuids(id_rng, len(fac)),
                "kind": [str(f.kind) for f in fac],
                "code": [f.code for f in fac],
                "name": [f.name for f in fac],
                "area_id": [f.area_id for f in fac],
                "parent_id": [f.parent_id for f in fac],
                "address": [f.address for f in fac],
                "phone": [f.phone for f in fac],
            },
            {**stamps, "is_active": True},
        )
        through = Facility.service_areas.through
        write_rows(
            through._meta.db_table,
            [through._meta.get_field("facility").column, through._meta.get_field("area").column],
            [(f.id, area_id) for f in fac for area_id in f.serves],
        )
        bulk = bulk_load(Family, Person, Pregnancy) if pop.n_persons >= 50_000 else nullcontext()
        with bulk:
            write_columns(
                Family, {**pop.families, "uuid": _uuids(id_rng, len(pop.families["id"]))}, stamps
            )
            say(f"families written ({time.perf_counter() - started:.1f} s)")
            write_columns(Person, {**pop.persons, "uuid": _uuids(id_rng, pop.n_persons)}, stamps)
            say(f"persons written ({time.perf_counter() - started:.1f} s)")
            write_columns(
                Pregnancy,
                {**pop.pregnancies, "uuid": _uuids(id_rng, len(pop.pregnancies["id"]))},
                stamps,
            )
        say(f"keys checked, indexes built ({time.perf_counter() - started:.1f} s)")
        reset_sequences(Area, Facility, through, Family, Person, Pregnancy)
        logins = ensure_demo_logins()
        say(f"logins ready, committing ({time.perf_counter() - started:.1f} s)")
    say(f"committed ({time.perf_counter() - started:.1f} s)")
    analyze(Area, Facility, Family, Person, Pregnancy)
    # The load ran with triggers off: the data-quality resident counts (ilp.monitoring).
    residents_rebuild()
    return Summary(
        areas=len(geo.areas),
        facilities=len(geo.facilities),
        families=len(pop.families["id"]),
        persons=pop.n_persons,
        pregnancies=len(pop.pregnancies["id"]),
        seconds=time.perf_counter() - started,
        logins=logins,
    )


def dense_hamlets(geo: Geography) -> list[int]:
    """Lingkungan (area ids) of the demo logins' puskesmas area, most important first: the
    kader's posyandu, the midwife's kelurahan, then the rest of the puskesmas area."""
    puskesmas, pustu, posyandu = demo_workplaces(geo.facilities)
    hamlets = {a.id: a for a in geo.areas if a.level == AreaLevel.HAMLET}
    order = [a for a in posyandu.serves if a in hamlets]
    villages = [*pustu.serves, *(v for v in puskesmas.serves if v not in pustu.serves)]
    for village_id in villages:
        order += [a for a in sorted(hamlets) if hamlets[a].parent_id == village_id]
    return list(dict.fromkeys(order))


def _dependents() -> list[type[models.Model]]:
    """Models of other apps holding a foreign key to people or places rows (not users), or to
    such a model's rows (a coaching recommendation points at a visit, the visit at a
    puskesmas), those referring to others first."""
    targets = set(DEMO_MODELS)
    found: list[type[models.Model]] = []
    candidates = [
        m
        for m in apps.get_models()
        if m not in targets and m is not User and not m._meta.auto_created
    ]
    while True:
        added = [
            model
            for model in candidates
            if model not in found
            and any(
                f.is_relation and f.concrete and f.related_model in targets
                for f in model._meta.get_fields()
            )
        ]
        if not added:
            break
        found += added
        targets |= set(added)
    # Those referring to others first: take, each round, the models no remaining one refers to.
    ordered: list[type[models.Model]] = []
    remaining = list(found)
    while remaining:
        referred = {
            f.related_model
            for m in remaining
            for f in m._meta.get_fields()
            if f.is_relation and f.concrete and f.related_model is not m
        }
        free = [m for m in remaining if m not in referred] or remaining[:1]
        ordered += free
        remaining = [m for m in remaining if m not in free]
    return ordered


@transaction.atomic
def wipe_demo_data() -> None:
    """Delete the demo logins, people, places and every row that refers to them.

    Other users keep their accounts but lose their facility/area scope. Rows of other apps
    that point at a person, family, pregnancy, facility or area are deleted with them."""
    demo_users = demo_usernames() if district_exists() else []
    User.objects.exclude(facility=None, area=None).update(facility=None, area=None)
    dependents = _dependents()
    through = Facility.service_areas.through
    qn = connection.ops.quote_name
    people = [m._meta.db_table for m in (Pregnancy, Family, Person)]
    places = [m._meta.db_table for m in (through, Facility, Area)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # People tables and every table referring to them (care records: millions of rows
            # in a large district) are truncated; places are deleted row by row because
            # accounts_user refers to them. Deferred FK checks of rows written earlier in
            # this transaction must fire first, or TRUNCATE refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            tables = [m._meta.db_table for m in dependents] + people
            cursor.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for model in dependents:
                # A row pointing at another of its table (a redirected referral's onward leg
                # at the leg before, PROTECT) lets go first, or the delete refuses.
                own = [
                    f.name
                    for f in model._meta.concrete_fields
                    if f.is_relation and f.related_model is model and f.null
                ]
                if own:
                    model._default_manager.update(**dict.fromkeys(own))
                # The plain QuerySet.delete: append-only tables (a visum's custody log) refuse
                # deletes through their own manager, but a reset of the synthetic district
                # removes everything, as TRUNCATE does on PostgreSQL.
                models.QuerySet.delete(model._base_manager.all())
            for table in people:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - model tables
        # The demo logins go once no row refers to them (a coaching team's lead is protected).
        User.objects.filter(username__in=demo_users).delete()
        for table in places:
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - model tables
