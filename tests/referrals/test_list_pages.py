"""The paged referral lists (``/rujukan/`` and ``/rujukan/masuk/``): 50 rows a page in the
list's order, the counts over all pages, the pager, a bad page number told (never a 500), the
audit of the persons on the page only, a query count that does not grow with the rows, and
the hospital home's first rows with a link to the rest."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ilp.accounts.models import AuditEvent
from ilp.referrals import services
from ilp.referrals.home import HOME_ROWS
from ilp.referrals.selectors import LIST_PAGE_SIZE
from tests.conftest import _person

pytestmark = pytest.mark.django_db


def _fill(district, now, n, *, to=None):
    """`n` referrals from Pustu Ampel, each of its own person, decided an hour apart (the
    oldest first); every third an emergency, the rest planned."""
    made = []
    for i in range(n):
        person = _person(f"Pasien {i:03d}", "F", date(1995, 1, 1), district.siti.rt)
        made.append(
            services.referral_create(
                user=district.bidan_ampel,
                person=person,
                from_facility=district.pustu_ampel_f,
                to_facility=to or district.pkm_barat_f,
                kind="emergency" if i % 3 == 0 else "planned",
                reason="alasan",
                decided_at=now - timedelta(hours=n - i + 1),
            )
        )
    return made


def _audited(user):
    event = AuditEvent.objects.filter(user=user, object_type="referral").latest("pk")
    return sorted(event.person_ids)


def test_open_list_pages_keep_order_and_counts(client, district, now):
    made = _fill(district, now, LIST_PAGE_SIZE + 5)
    client.force_login(district.bidan_ampel)
    first = client.get("/rujukan/")
    assert [r["ref"].pk for r in first.context["rows"]] == [r.pk for r in made[:LIST_PAGE_SIZE]]
    found = first.context["found"]
    # 19 emergencies; those decided more than 24 h ago are past their allowance (all 55 are
    # more than 1 h old, none of the planned over 7 days)
    urgent = [r for r in made if r.kind == "emergency"]
    late = [r for r in urgent if r.decided_at < now - timedelta(hours=24)]
    assert (found.total, found.urgent, found.overdue) == (55, len(urgent), len(late))
    html = first.content.decode()
    assert "Halaman 1 dari 2" in html
    assert 'rel="next" href="?page=2"' in html and 'rel="prev"' not in html
    assert _audited(district.bidan_ampel) == sorted(r.person_id for r in made[:LIST_PAGE_SIZE])

    second = client.get("/rujukan/?page=2")
    assert [r["ref"].pk for r in second.context["rows"]] == [r.pk for r in made[LIST_PAGE_SIZE:]]
    assert second.context["found"].overdue == len(late)
    assert 'rel="prev" href="?page=1"' in second.content.decode()
    assert _audited(district.bidan_ampel) == sorted(r.person_id for r in made[LIST_PAGE_SIZE:])


def test_incoming_pages_urgent_first(client, district, now):
    made = _fill(district, now, LIST_PAGE_SIZE + 2)
    client.force_login(district.pkm_barat)
    urgent = [r.pk for r in made if r.kind == "emergency"]
    planned = [r.pk for r in made if r.kind == "planned"]
    first = client.get("/rujukan/masuk/").context
    second = client.get("/rujukan/masuk/?page=2").context
    assert [r["ref"].pk for r in first["rows"]] == (urgent + planned)[:LIST_PAGE_SIZE]
    assert [r["ref"].pk for r in second["rows"]] == (urgent + planned)[LIST_PAGE_SIZE:]
    assert (second["found"].total, second["found"].urgent) == (52, len(urgent))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "Nomor halaman harus berupa angka bulat."),
        ("page=0", "Nomor halaman paling kecil 1."),
        ("page=-3", "Nomor halaman paling kecil 1."),
        ("page=999999", "Nomor halaman terlalu besar."),
        ("page=7", "Halaman 7 tidak ada: daftar ini 1 halaman; halaman terakhir ditampilkan."),
    ],
)
@pytest.mark.parametrize("url", ["/rujukan/", "/rujukan/masuk/"])
def test_bad_page_number_is_told(client, district, referral, url, query, message):
    client.force_login(district.pkm_barat if "masuk" in url else district.bidan_ampel)
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert response.context["page_message"] == message
    assert message in response.content.decode()
    assert [r["ref"].pk for r in response.context["rows"]] == [referral.pk]


@pytest.mark.parametrize("url", ["/rujukan/", "/rujukan/masuk/", "/rujukan/masuk/?page=2"])
def test_list_query_count_does_not_grow_with_rows(
    client, district, now, url, django_assert_num_queries
):
    _fill(district, now, LIST_PAGE_SIZE + 5)
    client.force_login(district.pkm_barat if "masuk" in url else district.bidan_ampel)
    # session, user, the counts over the list, the page (person and facilities joined), audit
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_hospital_home_shows_first_rows_and_links_the_rest(
    client, district, now, django_assert_num_queries
):
    made = _fill(district, now, HOME_ROWS + 3, to=district.hospital_f)
    client.force_login(district.rs_uji)
    response = client.get("/")
    context = response.context
    assert len(context["rows"]) == HOME_ROWS
    assert (context["waiting_count"], context["more_count"]) == (HOME_ROWS + 3, 3)
    assert context["urgent_count"] == sum(1 for r in made if r.kind == "emergency")
    html = response.content.decode()
    assert (
        '<a class="button" id="incoming-more" href="/rujukan/masuk/">3 rujukan masuk lainnya</a>'
        in html
    )
    shown = sorted(row["ref"].person_id for row in context["rows"])
    event = AuditEvent.objects.filter(detail__list="hospital_home").latest("pk")
    assert sorted(event.person_ids) == shown
