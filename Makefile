# Leerkring: `make run` serves the app with demo data, `make test` runs the whole suite.
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
FLASK := $(VENV)/bin/flask --app wsgi
PYBABEL := $(VENV)/bin/pybabel
CATALOGS := $(wildcard leerkring/translations leerkring/*/translations)

.PHONY: run test benchmark benchmark-library setup browser translations compile-translations clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	LEERKRING_SCHEDULER=embedded $(FLASK) run --debug --host 127.0.0.1 --port 5000

test: setup browser
	$(VENV)/bin/python -m pytest -n auto -p no:cacheprovider $(PYTEST_ARGS)

# Plan and deliver 10,000 reminders to a local SMTP server and print the time and the rate
# (a temporary SQLite database; set DATABASE_URL for PostgreSQL; BENCHMARK_ARGS="--count 1000").
benchmark: setup
	$(VENV)/bin/python benchmarks/reminders.py $(BENCHMARK_ARGS)

benchmark-library: setup
	$(VENV)/bin/python benchmarks/library_search.py $(BENCHMARK_ARGS)

setup: $(VENV)/.synced compile-translations

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	touch $@

# Debian's chromium for the browser tests: installed when missing and we may install packages;
# otherwise the browser tests skip and say how to enable them.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium not found: browser tests will be skipped (sudo apt-get install chromium)"; \
	  fi; \
	fi

compile-translations: $(VENV)/.synced
	@for dir in $(CATALOGS); do $(PYBABEL) compile --use-fuzzy --statistics -d $$dir; done

# Refresh every area's Dutch catalog from the source (English is the source language).
translations: $(VENV)/.synced
	$(VENV)/bin/python -m leerkring.i18n update

clean:
	rm -rf $(VENV) $(TOOLS)
