# The two commands a newcomer types: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POPULATION ?= 40000

.PHONY: demo test install lint format bench messages clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The demo mode (and only it) allows the development secret key and cookies over plain http.
demo: export ILP_DEMO = true
demo: $(STAMP)
	$(BIN)/ilp migrate --noinput
	$(BIN)/ilp demo --population $(POPULATION) --if-empty
	$(BIN)/ilp serve

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	ILP_DEMO=true $(BIN)/ilp makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# English for every app (the care app keeps its own catalogue in care/locale);
# the id catalogue (msgids are already Indonesian) only for the main one.
messages: $(STAMP)
	cd src/ilp && export ILP_DEMO=true && ../../$(BIN)/ilp makemessages -l en --no-obsolete \
		&& ../../$(BIN)/ilp makemessages -l id --no-obsolete --ignore care \
		&& ../../$(BIN)/ilp compilemessages

clean:
	rm -rf $(VENV) ilp.sqlite3 ilp.sqlite3-* staticfiles
