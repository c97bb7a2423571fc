# The two commands a newcomer types: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POPULATION ?= 40000
# pytest processes for `make test` (pytest-xdist; each has its own test database). 0: one process.
PYTEST_WORKERS ?= 2

.PHONY: demo test install lint format typecheck lock bench messages clean

# Dependencies come only from the hash-locked files (pip refuses anything not in them):
# requirements/runtime.txt is what a server needs, requirements/dev.txt adds the tools and
# test libraries at the same versions. `make lock` regenerates both from pyproject.toml.
$(STAMP): requirements/runtime.txt requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# uv (https://docs.astral.sh/uv/) resolves; the dev lock is constrained by the runtime lock so
# a package has one version in both.
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes \
		-o requirements/runtime.txt
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
		-c requirements/runtime.txt -o requirements/dev.txt

# The demo mode (and only it) allows the development secret key and cookies over plain http.
demo: export ILP_DEMO = true
demo: $(STAMP)
	$(BIN)/ilp migrate --noinput
	$(BIN)/ilp demo --population $(POPULATION) --if-empty
	$(BIN)/ilp serve

test: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/python tools/mypy_ratchet.py
	ILP_DEMO=true $(BIN)/ilp makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

# mypy with django-stubs: strict for ilp.standards, the rest no worse than tools/mypy-baseline.json.
typecheck: $(STAMP)
	$(BIN)/python tools/mypy_ratchet.py

format: $(STAMP)
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

# English for every app (the care app keeps its own catalogue in care/locale);
# the id catalogue (msgids are already Indonesian) only for the main one.
messages: $(STAMP)
	cd src/ilp && export ILP_DEMO=true && ../../$(BIN)/ilp makemessages -l en --no-obsolete \
		&& ../../$(BIN)/ilp makemessages -l id --no-obsolete --ignore care \
		&& ../../$(BIN)/ilp compilemessages

clean:
	rm -rf $(VENV) ilp.sqlite3 ilp.sqlite3-* staticfiles
