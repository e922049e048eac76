# inspraak: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := inspraak
HOST ?= 127.0.0.1
PORT ?= 5000
LANGS := nl en tr ar pl
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
PO_FILES := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-pg test-e2e bench translations compile-translations install clean db demo worker

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

compile-translations: $(MO_FILES)

db: install compile-translations
	$(BIN)/flask db upgrade

## Set everything up, load demo data on the first run, and serve on http://$(HOST):$(PORT)
run: db
	@$(BIN)/flask inspraak demo --if-empty
	@echo ""
	@echo "inspraak runs on http://$(HOST):$(PORT)  (stop with Ctrl+C). Mail is printed here."
	MAIL_BACKEND=console $(BIN)/flask run --host $(HOST) --port $(PORT)

## The test suite on SQLite (and on PostgreSQL with `make test-pg`)
test: install compile-translations
	$(BIN)/python -m pytest

test-pg: install compile-translations
	INSPRAAK_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest

## Benchmarks: every bench/*.py script (never part of the tests)
bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## Extract interface strings and update every catalogue
translations: install
	$(BIN)/pybabel extract --sort-output --no-location --project=inspraak --copyright-holder=inspraak --msgid-bugs-address=- --ignore-dirs=".* __pycache__" -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 -k lazy_ngettext:1,2 -o translations/messages.pot inspraak >/dev/null
	@for l in $(LANGS); do \
	  if [ -f translations/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching --ignore-pot-creation-date -i translations/messages.pot -d translations -l $$l >/dev/null; \
	  else \
	    $(BIN)/pybabel init -i translations/messages.pot -d translations -l $$l >/dev/null; \
	  fi; \
	done
	@$(BIN)/python -m inspraak.core.catalogues

clean:
	rm -rf $(VENV) instance *.egg-info $(MO_FILES)
