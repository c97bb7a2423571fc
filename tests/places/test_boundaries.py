"""``ilp boundaries import``: a good GeoJSON FeatureCollection gives each named desa its
simplified outline and reports the desa still without one; every bad file is refused whole
with each error naming the feature and property, nothing saved; a re-import replaces the
outlines and keeps the earlier import on record; the messages follow ``LANGUAGE``.

The conftest district: Ampel 52.71.01.1001, Batu 52.71.01.1002 (kecamatan Barat), Cemara
52.71.02.1001 (kecamatan Timur).
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from ilp.places import geometry
from ilp.places.boundaries import normalise_code
from ilp.places.models import AreaBoundary, BoundaryImport

pytestmark = pytest.mark.django_db


def square(lon: float, lat: float, side: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code, geom=None, prop="KDEPUM") -> dict:
    return {"type": "Feature", "properties": {prop: code}, "geometry": geom or square(116.1, -8.6)}


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def run(tmp_path, data, *extra, name="desa.geojson") -> tuple[str, str]:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("boundaries", "import", str(path), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(tmp_path, data, *extra) -> tuple[str, list[str]]:
    """(the command's error, the lines it printed) for a file that must be refused."""
    err = io.StringIO()
    path = tmp_path / "bad.geojson"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("boundaries", "import", str(path), *extra, stdout=io.StringIO(), stderr=err)
    assert AreaBoundary.objects.count() == 0
    assert BoundaryImport.objects.count() == 0
    return str(exc.value), err.getvalue().splitlines()


def test_a_good_file_gives_each_desa_its_outline(district, tmp_path, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    # A square with a needless point in the middle of each side: simplified away.
    ring = [
        [116.1, -8.6],
        [116.105, -8.6],
        [116.11, -8.6],
        [116.11, -8.595],
        [116.11, -8.59],
        [116.1, -8.59],
        [116.1, -8.6],
    ]
    data = collection(
        feature("52.71.01.1001", {"type": "Polygon", "coordinates": [ring]}),
        feature("5271011002", square(116.11, -8.6)),  # the undotted form of Batu
    )
    out, err = run(tmp_path, data, "--user", "dinkes")
    assert err == ""
    assert out.splitlines() == [
        "2 desa/kelurahan mendapat batas wilayah dari desa.geojson (0 mengganti batas lama; "
        "12 titik disederhanakan menjadi 10).",
        "1 desa/kelurahan masih tanpa batas wilayah:",
        "  52.71.02.1001 Cemara",
    ]
    ampel = AreaBoundary.objects.get(area=district.ampel)
    assert ampel.geometry == {
        "type": "Polygon",
        "coordinates": [
            [[116.1, -8.6], [116.11, -8.6], [116.11, -8.59], [116.1, -8.59], [116.1, -8.6]]
        ],
    }
    assert AreaBoundary.objects.get(area=district.batu).geometry["type"] == "Polygon"
    record = BoundaryImport.objects.get()
    assert (record.file_name, record.code_property, record.imported_by) == (
        "desa.geojson",
        "KDEPUM",
        "dinkes",
    )
    assert (record.feature_count, record.replaced_count) == (2, 0)
    assert (record.points_before, record.points_after) == (12, 10)


def test_a_reimport_replaces_outlines_and_keeps_the_earlier_record(district, tmp_path):
    run(tmp_path, collection(feature("52.71.01.1001"), feature("52.71.01.1002")), name="a.geojson")
    first = BoundaryImport.objects.get()
    data = collection(
        feature(5271011001, square(116.2, -8.5)),  # a number, as some exports write it
        feature("52.71.02.1001", square(116.3, -8.5)),
    )
    out, _err = run(tmp_path, data, name="b.geojson")
    assert out.splitlines() == [
        "2 desa/kelurahan mendapat batas wilayah dari b.geojson (1 mengganti batas lama; "
        "10 titik disederhanakan menjadi 10).",
        "Semua desa/kelurahan di kabupaten/kota ini sudah punya batas.",
    ]
    assert BoundaryImport.objects.count() == 2
    second = BoundaryImport.objects.exclude(pk=first.pk).get()
    assert (second.file_name, second.feature_count, second.replaced_count) == ("b.geojson", 2, 1)
    ampel = AreaBoundary.objects.get(area=district.ampel)
    assert ampel.source == second
    assert ampel.geometry["coordinates"][0][0] == [116.2, -8.5]
    # Batu was not in the second file: it keeps its outline from the first.
    assert AreaBoundary.objects.get(area=district.batu).source == first
    first.refresh_from_db()
    assert (first.file_name, first.feature_count) == ("a.geojson", 2)


def test_the_code_property_can_be_named(district, tmp_path):
    out, _err = run(
        tmp_path,
        collection(feature("52.71.02.1001", prop="KODE_DESA")),
        "--code-property",
        "KODE_DESA",
    )
    assert out.startswith("1 desa/kelurahan mendapat batas wilayah")
    assert AreaBoundary.objects.get().area == district.cemara


def ring(*points) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in points]]}


BAD_FILES = [
    pytest.param(
        '{"type": "FeatureCollection", "features": [',
        ["Berkas bukan JSON yang sah: kesalahan pada baris 1, kolom 44."],
        id="not-json",
    ),
    pytest.param(
        {"type": "Feature", "properties": {}, "geometry": None},
        [
            'Berkas bukan GeoJSON FeatureCollection: diperlukan "type": "FeatureCollection" '
            'dan daftar "features".'
        ],
        id="not-a-featurecollection",
    ),
    pytest.param(
        collection(),
        ["FeatureCollection tidak berisi satu fitur pun."],
        id="no-features",
    ),
    pytest.param(
        collection(feature("52.71.01.1001"), feature("")),
        ["Fitur 2: properties.KDEPUM kosong atau tidak ada."],
        id="no-code",
    ),
    pytest.param(
        collection(feature("52.71.09.1001")),
        ['Fitur 1: properties.KDEPUM = "52.71.09.1001" bukan kode desa/kelurahan yang dikenal.'],
        id="unknown-code",
    ),
    pytest.param(
        collection(feature("52.71.01")),
        ['Fitur 1: properties.KDEPUM = "52.71.01" bukan kode desa/kelurahan yang dikenal.'],
        id="a-kecamatan-code",
    ),
    pytest.param(
        collection(feature("52.71.01.1001"), feature("5271011001")),
        ["Fitur 2: properties.KDEPUM = 52.71.01.1001 sudah dipakai fitur 1."],
        id="duplicate-code",
    ),
    pytest.param(
        collection(feature("52.71.01.1001", {"type": "Point", "coordinates": [116.1, -8.6]})),
        ['Fitur 1: geometry.type harus Polygon atau MultiPolygon, bukan "Point".'],
        id="point",
    ),
    pytest.param(
        collection(
            feature("52.71.01.1001", ring((116.1, -8.6), (190, -8.6), (116.2, -8.5), (116.1, -8.6)))
        ),
        [
            "Fitur 1: geometry.coordinates[0][1] = [190, -8.6] di luar jangkauan "
            "(bujur −180 sampai 180, lintang −90 sampai 90)."
        ],
        id="longitude-out-of-range",
    ),
    pytest.param(
        collection(
            feature(
                "52.71.01.1001", ring((116.1, -8.6), (116.2, -95), (116.2, -8.5), (116.1, -8.6))
            )
        ),
        [
            "Fitur 1: geometry.coordinates[0][1] = [116.2, -95] di luar jangkauan "
            "(bujur −180 sampai 180, lintang −90 sampai 90)."
        ],
        id="latitude-out-of-range",
    ),
    pytest.param(
        collection(
            feature(
                "52.71.01.1001", ring((116.1, -8.6), ("116.2", -8.6), (116.2, -8.5), (116.1, -8.6))
            )
        ),
        ["Fitur 1: geometry.coordinates[0][1] harus berupa pasangan angka [bujur, lintang]."],
        id="coordinate-not-a-number",
    ),
    pytest.param(
        collection(feature("52.71.01.1001", ring((116.1, -8.6), (116.2, -8.6), (116.1, -8.6)))),
        [
            "Fitur 1: geometry.coordinates[0] hanya memiliki 3 titik; sebuah cincin paling "
            "sedikit 4 titik."
        ],
        id="ring-too-short",
    ),
    pytest.param(
        collection(
            feature(
                "52.71.01.1001",
                {
                    "type": "MultiPolygon",
                    "coordinates": [
                        square(116.1, -8.6)["coordinates"],
                        [[[116.3, -8.6], [116.4, -8.6], [116.3, -8.6]]],
                    ],
                },
            )
        ),
        [
            "Fitur 1: geometry.coordinates[1][0] hanya memiliki 3 titik; sebuah cincin paling "
            "sedikit 4 titik."
        ],
        id="multipolygon-ring-too-short",
    ),
]


@pytest.mark.parametrize(("data", "errors"), BAD_FILES)
def test_a_bad_file_is_refused_whole_with_each_error(district, tmp_path, data, errors, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    message, printed = refused(tmp_path, data)
    assert printed == errors
    assert message == f"Berkas tidak diimpor: {len(errors)} kesalahan."


def test_every_error_of_the_file_is_reported_and_a_good_feature_is_not_saved(district, tmp_path):
    data = collection(
        feature("52.71.01.1001"),  # good, but the file is refused whole
        feature("52.71.01.1002", {"type": "LineString", "coordinates": []}),
        {"type": "Feature", "properties": None, "geometry": square(116.1, -8.6)},
    )
    message, printed = refused(tmp_path, data)
    assert printed == [
        'Fitur 2: geometry.type harus Polygon atau MultiPolygon, bukan "LineString".',
        "Fitur 3: properties.KDEPUM kosong atau tidak ada.",
    ]
    assert message == "Berkas tidak diimpor: 2 kesalahan."


def test_an_unknown_user_and_a_file_not_in_utf8_are_refused(district, tmp_path, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    with pytest.raises(CommandError, match=r"^Pengguna siapa tidak ada di ILP\.$"):
        run(tmp_path, collection(feature("52.71.01.1001")), "--user", "siapa")
    path = tmp_path / "latin1.geojson"
    path.write_bytes('{"type": "FeatureCollection", "name": "Désa"}'.encode("latin-1"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("boundaries", "import", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "Berkas bukan teks UTF-8; simpan ulang GeoJSON dengan pengodean UTF-8."
    ]
    assert BoundaryImport.objects.count() == 0


def test_a_missing_file_is_refused(district, tmp_path, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    with pytest.raises(CommandError, match=r"^Berkas nope\.geojson tidak dapat dibuka\.$"):
        call_command("boundaries", "import", str(tmp_path / "nope.geojson"))


def test_messages_in_english_when_language_says_so(district, tmp_path, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_GB:en")
    message, printed = refused(tmp_path, collection(feature("52.71.09.1001")))
    assert printed == [
        'Feature 1: properties.KDEPUM = "52.71.09.1001" is not a known desa/kelurahan code.'
    ]
    assert message == "File not imported: 1 error(s)."
    out, _err = run(tmp_path, collection(feature("52.71.01.1001")))
    assert out.splitlines()[0] == (
        "1 desa/kelurahan got a boundary from desa.geojson (0 replaced an earlier one; "
        "5 points simplified to 5)."
    )


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("52.71.01.1001", "52.71.01.1001"),
        (" 5271011001 ", "52.71.01.1001"),
        (5271011001, "52.71.01.1001"),
        (5271011001.0, "52.71.01.1001"),
        ("", ""),
        (None, ""),
        (True, ""),
    ],
)
def test_codes_with_and_without_dots(raw, code):
    assert normalise_code(raw) == code


def test_simplify_drops_points_within_the_tolerance_and_keeps_a_tiny_desa():
    # A 0.01° square whose top side bulges 0.00005° (about 5 m) in the middle.
    bulge = {
        "type": "Polygon",
        "coordinates": [[[0, 0], [0.01, 0], [0.01, 0.01], [0.005, 0.01005], [0, 0.01], [0, 0]]],
    }
    assert geometry.simplify(bulge, 0.0002)["coordinates"] == [
        [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]
    ]
    assert len(geometry.simplify(bulge, 0.00001)["coordinates"][0]) == 6
    # A desa smaller than the tolerance keeps its outline rather than vanishing.
    tiny = square(1, 1, side=0.0001)
    assert geometry.point_count(geometry.simplify(tiny, 0.0002)) == 5


def test_the_admin_lists_the_imports_read_only(district, tmp_path, client):
    from ilp.accounts.models import User

    run(tmp_path, collection(feature("52.71.01.1001")), "--user", "dinkes")
    client.force_login(User.objects.create_superuser("root", password="pw", area=district.city))
    response = client.get("/admin/places/boundaryimport/")
    assert response.status_code == 200
    assert "desa.geojson" in response.content.decode()
    record = BoundaryImport.objects.get()
    assert client.get("/admin/places/boundaryimport/add/").status_code == 403
    assert client.post(f"/admin/places/boundaryimport/{record.pk}/delete/").status_code == 403
    assert BoundaryImport.objects.count() == 1
