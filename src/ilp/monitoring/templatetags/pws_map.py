"""``{% desa_map rows indicator as map %}``: the desa map (``ilp.monitoring.maps``) of a list
of PWS rows, for ``monitoring/_map.html``; any page or printed pack holding the rows and the
indicator can include that partial."""

from __future__ import annotations

from collections.abc import Sequence

from django import template

from ilp.monitoring.catalogue import Indicator
from ilp.monitoring.maps import DesaMap, render_map
from ilp.monitoring.pws import PwsRow

register = template.Library()


@register.simple_tag
def desa_map(rows: Sequence[PwsRow] | None, indicator: Indicator) -> DesaMap:
    return render_map(rows or [], indicator)
