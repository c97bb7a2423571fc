"""Figures of a specialist coaching programme, computed from plain values (no Django here):
its coverage and the change between pre- and post-test scores, per topic and per puskesmas.

How scores are counted (the same rule everywhere, so the tables can be checked by hand):

- a *person* is an ILP user (by account), or a participant without a login identified by
  the puskesmas and the name as written (case and surrounding spaces ignored);
- per person and topic, the pre-test is the person's first one in the programme and the
  post-test their last one (sessions in date order): someone coached twice on a topic counts
  once, from where they started to where they ended;
- only *paired* scores count (both a pre- and a post-test): a mean of post-tests over other
  people than the pre-tests would show a change nobody made;
- per topic: the mean over the persons with a pair on that topic;
- per puskesmas: each person once — first the mean of the person's paired topics, then the
  mean over the persons of that puskesmas (a person's puskesmas: where they were tested first).

Means are rounded to one decimal at the end, never before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ScoreRow:
    """One test score of one participant on one topic at one session."""

    person: Hashable
    puskesmas: int
    topic: int
    session_date: date
    session: int
    pre: int | None
    post: int | None


@dataclass(frozen=True)
class ScoreChange:
    """Mean pre- and post-test over `n` persons and the change between them (each rounded
    to one decimal from the unrounded means)."""

    n: int
    mean_pre: float
    mean_post: float
    change: float


@dataclass(frozen=True)
class Coverage:
    """How many of the puskesmas to cover had at least one session."""

    visited: int
    total: int
    not_visited: list[int] = field(default_factory=list)


def coverage(to_cover: Iterable[int], with_session: Iterable[int]) -> Coverage:
    """`to_cover`: the programme's puskesmas; `with_session`: the puskesmas of its sessions
    (repeats allowed; a session at a puskesmas since removed from the programme is ignored)."""
    cover = set(to_cover)
    seen = cover & set(with_session)
    return Coverage(len(seen), len(cover), sorted(cover - seen))


def _pairs(rows: Iterable[ScoreRow]) -> dict[tuple[Hashable, int], tuple[int, int, int]]:
    """(person, topic) → (first pre, last post, puskesmas of the first score), paired only."""
    first_pre: dict[tuple[Hashable, int], int] = {}
    last_post: dict[tuple[Hashable, int], int] = {}
    home: dict[Hashable, int] = {}
    for row in sorted(rows, key=lambda r: (r.session_date, r.session)):
        key = (row.person, row.topic)
        home.setdefault(row.person, row.puskesmas)
        if row.pre is not None and key not in first_pre:
            first_pre[key] = row.pre
        if row.post is not None:
            last_post[key] = row.post
    return {
        key: (first_pre[key], last_post[key], home[key[0]]) for key in first_pre if key in last_post
    }


def _change(pres: list[float], posts: list[float]) -> ScoreChange:
    """Of at least one pair (the callers build the lists from pairs only)."""
    pre, post = sum(pres) / len(pres), sum(posts) / len(posts)
    return ScoreChange(len(pres), round(pre, 1), round(post, 1), round(post - pre, 1))


def change_by_topic(rows: Iterable[ScoreRow]) -> dict[int, ScoreChange]:
    """Topic id → mean first pre-test and mean last post-test of the persons with both."""
    pres: dict[int, list[float]] = defaultdict(list)
    posts: dict[int, list[float]] = defaultdict(list)
    for (_person, topic), (pre, post, _home) in _pairs(rows).items():
        pres[topic].append(pre)
        posts[topic].append(post)
    return {topic: _change(pres[topic], posts[topic]) for topic in pres}


def change_by_puskesmas(rows: Iterable[ScoreRow]) -> dict[int, ScoreChange]:
    """Puskesmas id → over its persons (each once: the mean of the person's paired topics),
    the mean pre- and post-test."""
    per_person: dict[Hashable, tuple[int, list[int], list[int]]] = {}
    for (person, _topic), (pre, post, home) in _pairs(rows).items():
        _, person_pres, person_posts = per_person.setdefault(person, (home, [], []))
        person_pres.append(pre)
        person_posts.append(post)
    pres: dict[int, list[float]] = defaultdict(list)
    posts: dict[int, list[float]] = defaultdict(list)
    for home, person_pres, person_posts in per_person.values():
        pres[home].append(sum(person_pres) / len(person_pres))
        posts[home].append(sum(person_posts) / len(person_posts))
    return {home: _change(pres[home], posts[home]) for home in pres}
