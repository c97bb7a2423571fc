"""Every rule's vocabulary in one place: the catalogues a translation layer is built from.

Each rule module declares ``CODES`` (rule id -> :class:`~ilp.standards.result.Catalogue`);
:func:`catalogues` collects them. A caller stores ``rule``, ``code``, ``reason_code``,
``params`` and ``notes`` (``RuleResult.to_json``) and renders them in the reader's language:
one translated message per class, reason and note code of each catalogue, with the parameter
kinds declared there (numbers and dates in the reader's locale, ``term`` parameters through the
catalogue's terms). The Indonesian texts of the catalogues are the source texts.

=========================  ===============================================================
rule                       module and function
=========================  ===============================================================
``anaemia``                ``anaemia.classify_anaemia``
``bmi_adult``, ``waist``   ``anthropometry_adult.classify_adult_bmi``, ``classify_central_obesity``
``bp_pnpk``, ``bp_jnc7``   ``blood_pressure.classify_blood_pressure`` (by scheme)
``puma``                   ``copd.score_puma``
``diabetes_perkeni``       ``diabetes.classify_diabetes_perkeni``
``glucose_screening``      ``diabetes.classify_glucose_screening``
``skilas``, ``barthel``    ``elderly.screen_skilas``, ``elderly.score_barthel``
``growth_category``        ``growth.classify`` (Permenkes 2/2020 categories)
``immunization_dose``      ``immunization.immunization_status`` (``DoseState``)
``immunization_check``     ``immunization.check_dose``
``immunization_indicator`` ``immunization.indicator_status``
``srq20``                  ``mental_health.score_srq20``
``postnatal_visit``        ``postnatal.postnatal_visits`` (``VisitState``)
``anc_contact``            ``pregnancy.anc_status`` (``AncSlot``)
``anc_summary``            ``pregnancy.anc_summary``
``kspr``, ``kek``          ``pregnancy.score_kspr``, ``pregnancy.classify_kek``
``screening_interval``     ``screening.screening_state`` (``ScreeningState``)
``tb_adult``, ``tb_child`` ``tuberculosis.screen_tb_adult``, ``screen_tb_child``
=========================  ===============================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from ilp.standards import (
    anaemia,
    anthropometry_adult,
    blood_pressure,
    copd,
    diabetes,
    elderly,
    immunization,
    mental_health,
    postnatal,
    pregnancy,
    screening,
    tuberculosis,
)
from ilp.standards.growth import categories
from ilp.standards.result import Catalogue

MODULES = (
    anaemia,
    anthropometry_adult,
    blood_pressure,
    copd,
    diabetes,
    elderly,
    categories,
    immunization,
    mental_health,
    postnatal,
    pregnancy,
    screening,
    tuberculosis,
)


@cache
def catalogues() -> Mapping[str, Catalogue]:
    """Every rule's catalogue by rule id (read-only). Raises ValueError when two modules
    declare the same rule id or a catalogue is inconsistent (``Catalogue.validate``)."""
    out: dict[str, Catalogue] = {}
    for module in MODULES:
        for rule, catalogue in module.CODES.items():
            if rule in out:
                raise ValueError(f"rule id {rule!r} declared twice")
            if catalogue.rule != rule:
                raise ValueError(f"{module.__name__}.CODES[{rule!r}] is rule {catalogue.rule!r}")
            catalogue.validate()
            out[rule] = catalogue
    return MappingProxyType(out)
