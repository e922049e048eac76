# inspraak: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := inspraak
HOST ?= 127.0.0.1
PORT ?= 5000
# The languages are those of config.py's LANGUAGES: adding one is a catalogue and a line there.
LANGS := $(shell $(PYTHON) -c 'import config; print(" ".join(config.Config.LANGUAGES))')
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed
PO_FILES := $(foreach l,$(LANGS),translations/$(l)/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-pg test-e2e e2e-tools bench translations compile-translations install clean db demo worker tick

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

## Set everything up, load demo data on the first run, and serve on http://$(HOST):$(PORT) (`make run PORT=8080`)
run: db
	@# The mail the demo queued (its council's mail) is printed first, so that the sign-in help is not
	@# scrolled away by it. Then the mail worker runs beside the web server and prints each new mail
	@# here; the clock (`tick`) closes consultations whose closing time has passed. Both stop with the server.
	@export MAIL_BACKEND=console BASE_URL="$${BASE_URL:-http://$(HOST):$(PORT)}"; \
	help="$$($(BIN)/flask inspraak demo --if-empty)" || exit 1; \
	$(BIN)/flask inspraak send-mail --once; \
	echo "$$help"; echo ""; \
	echo "inspraak runs on http://$(HOST):$(PORT)  (stop with Ctrl+C). Mail is printed here."; \
	$(BIN)/flask inspraak send-mail --interval 2 & worker=$$!; \
	$(BIN)/flask inspraak tick --interval 30 & ticker=$$!; \
	trap 'kill $$worker $$ticker 2>/dev/null; wait $$worker $$ticker 2>/dev/null' EXIT; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Send queued mail through MAIL_SERVER (see README, "Mail"); Ctrl+C stops it
worker: db
	$(BIN)/flask inspraak send-mail

## Close consultations whose closing time has passed, every minute; Ctrl+C stops it
tick: db
	$(BIN)/flask inspraak tick

## The test suite on SQLite (and on PostgreSQL with `make test-pg`), one process per core (`TEST_WORKERS=1` for one)
TEST_WORKERS ?= auto
test: install compile-translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Under several workers each has a database of its own beside PG_TEST_URL's (test_gw0, ...), made and dropped by the tests.
test-pg: install compile-translations
	INSPRAAK_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n $(TEST_WORKERS)

## Benchmarks: every bench/*.py script (never part of the tests)
bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## The browser tests (tests/e2e): Debian's Chromium, axe-core and the Nu HTML Checker; screenshots in artifacts/e2e/
E2E_STAMP := $(VENV)/.installed-e2e
NPM_STAMP := node_modules/.installed

$(E2E_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,e2e]'
	touch $(E2E_STAMP)

# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used instead.
$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

e2e-tools:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-dejavu-core fonts-liberation"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "The browser tests need these Debian packages:$$missing"; \
	    echo "Install them as root: apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi

test-e2e: e2e-tools $(E2E_STAMP) $(NPM_STAMP) compile-translations
	$(BIN)/python -m pytest -p no:cacheprovider --override-ini addopts= -q --strict-markers tests/e2e

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
