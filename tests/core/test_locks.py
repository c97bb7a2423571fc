"""Dependencies are locked with hashes, runtime and development separately, and every
dependency pyproject.toml declares is in its lock."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _locked(name: str) -> dict[str, list[str]]:
    """Package → its hashes, from a `uv pip compile --generate-hashes` file."""
    packages: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        pin = re.match(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==\S+", line)
        if pin:
            current = pin[1].lower().replace("_", "-")
            packages[current] = []
        elif current and line.strip().startswith("--hash=sha256:"):
            packages[current].append(line.strip())
    return packages


def _names(requirements: list[str]) -> set[str]:
    return {re.match(r"[A-Za-z0-9._-]+", r)[0].lower().replace("_", "-") for r in requirements}


def test_every_locked_package_has_a_hash():
    for name in ("runtime.txt", "dev.txt"):
        locked = _locked(name)
        assert len(locked) > 10
        assert [p for p, hashes in locked.items() if not hashes] == [], name


def test_pyproject_dependencies_are_locked_and_dev_tools_stay_out_of_the_runtime_lock():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _locked("runtime.txt"), _locked("dev.txt")
    assert _names(project["dependencies"]) - runtime.keys() == set()
    dev_tools = _names(project["optional-dependencies"]["dev"])
    assert dev_tools - dev.keys() == set()
    assert dev_tools & runtime.keys() == set()
    # One version of each package in both files.
    for package, hashes in runtime.items():
        assert dev.get(package) == hashes, package
