"""The indicator catalogue file: the repository's one loads, and a bad file is refused with a
message naming the indicator and the field."""

from __future__ import annotations

import pytest

from ilp.monitoring.catalogue import CATALOGUE_PATH, CatalogueError, load_catalogue, parse_catalogue

GOOD = CATALOGUE_PATH.read_text(encoding="utf-8")


def test_the_repository_catalogue_loads_with_its_indicators():
    catalogue = load_catalogue()
    assert list(catalogue) == [
        "k1",
        "k1_murni",
        "k4",
        "k6",
        "persalinan_fasyankes",
        "kn1",
        "kn_lengkap",
        "idl",
        "baduta",
        "ds",
        "ptm_15",
        "lansia_skrining",
        "kf_lengkap",
        "pendidikan_dasar_skrining",
        "remaja_putri_ttd",
        "srq20_skrining",
        "srq20_positif",
        "hipertensi_pelayanan",
        "diabetes_pelayanan",
        "hipertensi_terkendali",
        "diabetes_terkendali",
        "obesitas",
        "skdn_nd",
        "skdn_t",
        "balita_underweight",
        "balita_stunting",
        "balita_wasting",
        "balita_gizi_buruk",
    ]
    ds = catalogue["ds"]
    assert (ds.cluster, ds.spm, ds.period, ds.direction, ds.target) == ("2", 4, "monthly", "up", 80)
    assert [b.label for b in ds.age_bands] == ["0-11", "12-23", "24-59"]
    assert ds.numerator.rule == "weighed_in_month"
    assert ds.denominator.kind == "sasaran riil"
    assert catalogue["ptm_15"].name("en") == "NCD screening, aged 15 and over"
    assert catalogue["ptm_15"].name("id") == "Skrining PTM usia 15 tahun ke atas"
    obesity = catalogue["obesitas"]
    assert (obesity.cluster, obesity.period, obesity.direction) == ("3", "cumulative-year", "down")
    assert [b.label for b in obesity.age_bands] == ["18-39", "40-59", "60+"]
    assert (obesity.numerator.rule, obesity.denominator.rule) == (
        "obese_last_in_year",
        "adults_bmi_measured_of_year",
    )
    for code, rule in (
        ("hipertensi_terkendali", "bp_controlled_in_month"),
        ("diabetes_terkendali", "glucose_controlled_in_month"),
    ):
        controlled = catalogue[code]
        assert (controlled.period, controlled.direction, controlled.numerator.rule) == (
            "monthly",
            "up",
            rule,
        )


def _first_indicator_changed(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'rule = "anc_k1"\n',
            'rule = "anc_k1_typo"\n',
            "indicator 'k1': field 'numerator.rule' names an unknown rule 'anc_k1_typo'",
        ),
        (
            'period = "cumulative-year"\n',
            'period = "quarterly"\n',
            "indicator 'k1': field 'period' is 'quarterly'; expected one of monthly, "
            "cumulative-year, annual",
        ),
        (
            'period = "cumulative-year"\n',
            'period = "monthly"\n',
            "indicator 'k1': field 'denominator.rule' 'pregnancies_ending_in_year' does not fit "
            "period 'monthly'",
        ),
        (
            'source = "DOMAIN.md §3.2 (K1',
            'sourc = "DOMAIN.md §3.2 (K1',
            "indicator 'k1': field 'source' is missing",
        ),
        (
            "target = 100\n",
            'target = "100"\n',
            "indicator 'k1': field 'target' has the wrong type ('100')",
        ),
        ("target = 100\n", "target = 140\n", "indicator 'k1': field 'target' must be a percentage"),
        (
            'disaggregations = ["age", "disability"]',
            'disaggregations = ["religion"]',
            "indicator 'k1': field 'disaggregations' has an unknown 'religion'",
        ),
        (
            'age_bands = ["10-19", "20-34", "35+"]',
            'age_bands = ["19-10"]',
            "indicator 'k1': field 'age_bands' has a bad band '19-10'",
        ),
        (
            'direction = "up"\n',
            'direction = "higher"\n',
            "indicator 'k1': field 'direction' is 'higher'",
        ),
        ('code = "k1_murni"', 'code = "k1"', "indicator 'k1': field 'code' is used twice"),
    ],
)
def test_a_bad_catalogue_is_refused_naming_indicator_and_field(old, new, message):
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(_first_indicator_changed(old, new))
    assert str(caught.value).startswith(message)


def test_a_missing_numerator_table_and_bad_toml_are_refused():
    without = GOOD.replace('[indicator.numerator]\nrule = "anc_k1"\n', "", 1)
    with pytest.raises(CatalogueError, match="indicator 'k1': field 'numerator' is missing"):
        parse_catalogue(without)
    with pytest.raises(CatalogueError, match="catalogue is not valid TOML"):
        parse_catalogue("[[indicator]\ncode=")
    with pytest.raises(CatalogueError, match=r"catalogue has no \[\[indicator\]\] table"):
        parse_catalogue("title = 'x'\n")
