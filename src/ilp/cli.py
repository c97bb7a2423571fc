"""The `ilp` command: Django's manage.py (every management command) under one name.

`ilp migrate`, `ilp createsuperuser`, `ilp demo --population N`, `ilp serve`, `ilp zscore`, ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with ILP's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ilp.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ilp", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
