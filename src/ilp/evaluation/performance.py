"""Reads of the annual Penilaian Kinerja Puskesmas (PKP, issue 11 §5): the district's scheme of
a year (thresholds and weighted indicators, ``PkpScheme``; the defaults of
``ilp.standards.performance`` when the Dinkes stored none) and the assessment of every
puskesmas the reader evaluates, ranked, with each indicator's score.

Values: each indicator's value and target line of the puskesmas' working area, as the PWS
pages read them, at December for a past year and at the current month for the current year
(a year under way is assessed on its progress: cumulative coverage against the month's
target line, which is M/12 of the annual target). Scores, weighted mean and category are the
pure rules of ``ilp.standards.performance``.

Readers: ``ilp.accounts.access.evaluation_puskesmas`` (the dinkes administrator all of the
district, a TPCB member the puskesmas their teams coach, a puskesmas its own).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ilp.accounts.access import can_view_evaluations, evaluation_puskesmas
from ilp.accounts.models import User
from ilp.core.exceptions import BadParameter, NotFound, PermissionDenied
from ilp.evaluation.models import PkpScheme
from ilp.monitoring import selectors
from ilp.monitoring.catalogue import Indicator, load_catalogue
from ilp.monitoring.services import years_kept
from ilp.places.models import Area, Facility
from ilp.standards import performance as rules


@dataclass(frozen=True)
class SchemeView:
    """A year's scheme as used: thresholds, weight by indicator code (catalogue order, every
    indicator; 0: not assessed) and whether the Dinkes stored it (False: the defaults)."""

    year: int
    baik_min: float
    cukup_min: float
    weights: dict[str, int]
    stored: bool

    @property
    def assessed(self) -> list[str]:
        return [code for code, w in self.weights.items() if w > 0]


def default_weights() -> dict[str, int]:
    """Every catalogue indicator with weight 1 (the default scheme)."""
    return dict.fromkeys(load_catalogue(), 1)


def scheme_for(district: Area | None, year: int) -> SchemeView:
    """The district's scheme of `year`, or the defaults when it stored none."""
    stored = (
        PkpScheme.objects.filter(district=district, year=year).prefetch_related("weights").first()
        if district is not None
        else None
    )
    if stored is None:
        return SchemeView(
            year, rules.DEFAULT_BAIK_MIN, rules.DEFAULT_CUKUP_MIN, default_weights(), False
        )
    weights = dict.fromkeys(load_catalogue(), 0)
    weights.update({w.indicator: w.weight for w in stored.weights.all() if w.indicator in weights})
    return SchemeView(year, float(stored.baik_min), float(stored.cukup_min), weights, True)


def parse_year(text: str) -> int:
    """A kept year, not after the current one (the current year by default); BadParameter
    otherwise."""
    today = timezone.localdate()
    text = text.strip()[:8] or str(today.year)
    first, last = years_kept(today)
    if not text.isdigit() or not first <= int(text) <= min(last, today.year):
        message = _("Tahun penilaian harus antara %(first)s dan %(last)s.") % {
            "first": first,
            "last": min(last, today.year),
        }
        raise BadParameter(message, fields={"year": [message]})
    return int(text)


def assessment_month(year: int) -> int:
    """The month whose values are assessed: December, or the current month this year."""
    today = timezone.localdate()
    return today.month if year == today.year else 12


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    name: str
    value: float | None
    target: float
    weight: int
    score: float | None


@dataclass
class PuskesmasScore:
    facility: Facility
    score: float | None
    category: str | None
    items: list[IndicatorScore]
    rank: int | None = None

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS[self.category]) if self.category else ""


CATEGORY_LABELS = {
    rules.BAIK: gettext_lazy("baik"),
    rules.CUKUP: gettext_lazy("cukup"),
    rules.KURANG: gettext_lazy("kurang"),
}


def _require(user: User) -> None:
    if not can_view_evaluations(user):
        raise PermissionDenied(_("Peran Anda tidak dapat membuka penilaian kinerja puskesmas."))


def _district(user: User) -> Area | None:
    """The district whose scheme applies to the reader (a puskesmas' staff: the district its
    puskesmas lies in)."""
    if user.area is not None:
        return user.area
    facility = user.facility
    if facility is None:
        return None
    parts = facility.area.code.split(".")
    return Area.objects.filter(code=".".join(parts[:2])).first()


def score_puskesmas(
    user: User, facility: Facility, scheme: SchemeView, *, language: str
) -> PuskesmasScore:
    """One puskesmas' assessment under the scheme (no score when the reader may not read its
    working area's values)."""
    month = assessment_month(scheme.year)
    try:
        overview = selectors.indicator_overview(
            user, area_code=facility.code, year=scheme.year, month=month
        )
    except NotFound:
        overview = {}
    catalogue = load_catalogue()
    items = []
    for code in scheme.assessed:
        indicator = catalogue[code]
        rows = overview.get(code)
        row = rows[0] if rows else None
        value = row.value if row is not None else None
        target = row.target if row is not None else indicator.target
        items.append(
            IndicatorScore(
                indicator,
                indicator.name(language),
                value,
                target,
                scheme.weights[code],
                rules.indicator_score(value, target, indicator.direction),
            )
        )
    total = rules.weighted_score(rules.Scored(i.score, i.weight) for i in items)
    return PuskesmasScore(
        facility, total, rules.category(total, scheme.baik_min, scheme.cukup_min), items
    )


def assessment(user: User, year: int, *, language: str) -> tuple[SchemeView, list[PuskesmasScore]]:
    """Every puskesmas the reader evaluates, ranked by score (best first; unscored last),
    under the district's scheme of the year."""
    _require(user)
    scheme = scheme_for(_district(user), year)
    scores = [
        score_puskesmas(user, f, scheme, language=language) for f in evaluation_puskesmas(user)
    ]
    scores.sort(key=lambda s: (s.score is None, -(s.score or 0), s.facility.name))
    for rank, s in enumerate(scores, start=1):
        s.rank = rank if s.score is not None else None
    return scheme, scores


def assessment_of(
    user: User, code: str, year: int, *, language: str
) -> tuple[SchemeView, PuskesmasScore]:
    """One puskesmas' assessment with its indicators (NotFound outside the reader's)."""
    _require(user)
    facility = evaluation_puskesmas(user).filter(code=code).first()
    if facility is None:
        raise NotFound(
            _("Puskesmas %(code)s tidak ada atau di luar wilayah Anda.") % {"code": code}
        )
    scheme = scheme_for(_district(user), year)
    return scheme, score_puskesmas(user, facility, scheme, language=language)
