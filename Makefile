# Batch HMI: one command per job. Every target creates the environment when it is missing.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install translations demo run headless test test-fast test-faults explore explore-planted bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

## compiled translations (resources/i18n/*.qm) from the .ts sources, with PySide6's lrelease
translations: $(STAMP)
	$(PY) -m hmi.ui.i18n

## the operator window with built-in simulators (no PLC or Odoo needed)
demo: $(STAMP)
	$(PY) main.py --demo

## the operator window against the PLC and Odoo configured in settings.ini
run: $(STAMP)
	$(PY) main.py

## service mode, no window
headless: $(STAMP)
	$(PY) main.py --headless

## the whole suite (starts its own PostgreSQL, simulators and fake Odoo on loopback)
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -ra --durations=25

test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -ra -m "not packaging and not soak"

## benchmarks: prints a table, writes bench/results.json (BENCH_HISTORY_ROWS=100000 for a quicker run)
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen PYTHONPATH=. $(PY) -m bench

## the fault suite and the soak (SOAK_CYCLES=1000 for a longer soak)
test-faults: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -ra tests/faults tests/soak

## model-based exploration of the exactly-once rule on SQLite and PostgreSQL (docs/reliability.md):
## the CI budget, or `make explore EXPLORE_SECONDS=1800` for half an hour per backend
explore: $(STAMP)
	QT_QPA_PLATFORM=offscreen EXPLORE_SECONDS="$(EXPLORE_SECONDS)" EXPLORE_EXAMPLES="$(EXPLORE_EXAMPLES)" \
		EXPLORE_STEPS="$(EXPLORE_STEPS)" $(PY) -m pytest -ra tests/explore/test_exactly_once.py

## the planted-defect check: the exploration must find a Clear that deletes ledger rows (minutes per backend)
explore-planted: $(STAMP)
	QT_QPA_PLATFORM=offscreen EXPLORE_PLANTED=1 $(PY) -m pytest -ra -s tests/explore/test_planted_defect.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .hypothesis

## one-folder executable bundle in dist/batch-hmi/ (docs/packaging.md)
package: $(STAMP) translations
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build packaging/batch-hmi.spec
