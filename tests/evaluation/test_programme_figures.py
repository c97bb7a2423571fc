"""Figures of a specialist programme, worked by hand (``ilp.evaluation.programme_figures``).

Two topics (1, 2), two puskesmas (A = 1, B = 2), three persons:
- user u1 at A: session s1 (1 March) topic 1 40→70, topic 2 50→80; session s3 (1 June) topic 1
  60→90. Topic 1 counts once: first pre 40, last post 90.
- "Sari" (no login) at A: s1 topic 1 pre 60 (no post), topic 2 70→90; at s3, written " sari ",
  topic 1 post 80 (no pre). The same person: topic 1 pairs 60→80.
- user u2 at B: s2 (1 April) topic 1 30→50; topic 2 post 60 only (no pair: left out).

Per topic: 1 → u1 40/90, Sari 60/80, u2 30/50: n 3, pre 130/3 = 43.3, post 220/3 = 73.3,
change 30.0; 2 → u1 50/80, Sari 70/90: n 2, pre 60.0, post 85.0, change 25.0.
Per puskesmas (each person once, the mean of their topics first): A → u1 (40+50)/2 = 45 and
(90+80)/2 = 85, Sari (60+70)/2 = 65 and (80+90)/2 = 85: n 2, pre 55.0, post 85.0, change 30.0;
B → u2 30/50: n 1, change 20.0."""

from __future__ import annotations

from datetime import date

from ilp.evaluation.programme_figures import (
    Coverage,
    ScoreChange,
    ScoreRow,
    change_by_puskesmas,
    change_by_topic,
    coverage,
)

U1, U2, SARI_A, SARI_B = ("u", 1), ("u", 2), ("n", 1, "sari"), ("n", 1, "sari")
MARCH, APRIL, JUNE = date(2026, 3, 1), date(2026, 4, 1), date(2026, 6, 1)

ROWS = [
    # Listed out of date order on purpose: the first pre / last post follow the dates.
    ScoreRow(U1, 1, 1, JUNE, 3, 60, 90),
    ScoreRow(U1, 1, 1, MARCH, 1, 40, 70),
    ScoreRow(U1, 1, 2, MARCH, 1, 50, 80),
    ScoreRow(SARI_A, 1, 1, MARCH, 1, 60, None),
    ScoreRow(SARI_A, 1, 2, MARCH, 1, 70, 90),
    ScoreRow(SARI_B, 1, 1, JUNE, 3, None, 80),
    ScoreRow(U2, 2, 1, APRIL, 2, 30, 50),
    ScoreRow(U2, 2, 2, APRIL, 2, None, 60),
]


def test_change_by_topic_counts_each_person_once_with_pairs_only():
    assert change_by_topic(ROWS) == {
        1: ScoreChange(n=3, mean_pre=43.3, mean_post=73.3, change=30.0),
        2: ScoreChange(n=2, mean_pre=60.0, mean_post=85.0, change=25.0),
    }


def test_change_by_puskesmas_averages_each_person_first():
    assert change_by_puskesmas(ROWS) == {
        1: ScoreChange(n=2, mean_pre=55.0, mean_post=85.0, change=30.0),
        2: ScoreChange(n=1, mean_pre=30.0, mean_post=50.0, change=20.0),
    }


def test_change_is_rounded_from_the_unrounded_means():
    # pre 33.33…, post 66.66…: the change is 33.3 (rounding the means first would give 33.4).
    rows = [
        ScoreRow(("u", n), 1, 1, MARCH, 1, pre, post)
        for n, (pre, post) in enumerate([(33, 66), (33, 67), (34, 67)])
    ]
    assert change_by_topic(rows) == {1: ScoreChange(3, 33.3, 66.7, 33.3)}


def test_no_pair_no_figure():
    assert change_by_topic([ScoreRow(U1, 1, 1, MARCH, 1, 40, None)]) == {}
    assert change_by_puskesmas([]) == {}


def test_coverage_counts_distinct_puskesmas_of_the_programme():
    assert coverage([1, 2, 3], [1, 1, 2, 9]) == Coverage(visited=2, total=3, not_visited=[3])
    assert coverage([1, 2], [2, 1]) == Coverage(visited=2, total=2, not_visited=[])
