"""The `zscore` management command (ilp.core), a thin wrapper over ilp.standards.growth."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("zscore", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_one_child_prints_z_and_indonesian_categories():
    text = _run(
        "--sex", "F", "--birth", "2024-01-15", "--date", "2025-11-20",
        "--weight", "8.2", "--length", "74", "--lying",
    )  # fmt: skip
    assert "Umur 675 hari" in text
    assert "BB/U               z =  -2.56  Berat badan kurang" in text
    assert "PB/U atau TB/U     z =  -3.44  Sangat pendek" in text
    assert "BB/PB atau BB/TB   z =  -1.00  Gizi baik" in text


def test_standing_oedema_head_muac_options():
    text = _run(
        "--sex", "M", "--age-days", "0", "--weight", "4.5", "--length", "52.4",
        "--standing", "--oedema", "--head", "37.8",
    )  # fmt: skip
    # standing at day 0 is ignored (c9mo); oedema blanks weight-based indicators
    assert "c9mo" in text
    assert "PB/U atau TB/U     z =   1.33  Normal" in text
    assert "LK/U               z =   2.63" in text
    assert "BB/U               -" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sex", "X", "--age-days", "100", "--weight", "5"], "sex"),
        (["--sex", "F", "--birth", "2024-02-30"], "not a date"),
        (["--sex", "F", "--birth", "2024-01-15", "--date", "2023-01-01"], "visit_date"),
        (["--sex", "F", "--age-days", "100", "--weight", "500"], "weight_kg"),
        (["--weight", "5"], "--sex"),
        (["--sex", "F"], "--birth"),
        (["--csv", "/nonexistent/children.csv"], "cannot read"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_csv_scores_rows_and_reports_bad_rows(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "SEX,Birth_Date,Visit_Date,Age_Days,WEIGHT,Length,Measured,Oedema,Head,MUAC\n"
        "F,2024-01-15,2025-11-20,,8.2,74,l,n,,\n"
        "M,,,44,,50,,,,\n"
        "X,,,100,5,,,,,\n"
        "F,,,683,abc,84.8,l,n,,14.9\n"
        "M,,,868,12.9,85.9,lying,n,,14.5\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    call_command("zscore", "--csv", str(source), "--out", str(target), stderr=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 5
    first = rows[0]
    assert (first["age_days_used"], first["z_wfa"], first["category_wfa"]) == (
        "675",
        "-2.56",
        "Berat badan kurang",
    )
    assert first["flag_wfa"] == "0"
    assert first["error"] == ""
    assert rows[1]["z_lhfa"] == "-3.29"
    assert rows[1]["category_lhfa"] == "Sangat pendek"
    assert rows[1]["z_wfa"] == ""
    assert "sex" in rows[2]["error"]
    assert rows[2]["z_wfa"] == ""
    assert rows[3]["error"] == "weight='abc' is not a number"
    # CLINICAL.md §6.2 id 7: lying at 868 days -> 85.2 cm, WFH table
    assert (rows[4]["z_lhfa"], rows[4]["z_wflh"], rows[4]["z_bfa"]) == ("-1.69", "1.16", "1.43")
    assert rows[4]["category_wflh"] == "Berisiko gizi lebih"
    assert rows[4]["Age_Days"] == "868"


def test_csv_without_sex_column_is_a_command_error(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("age_days,weight\n100,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no 'sex' column"):
        call_command("zscore", "--csv", str(source))
