# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here, into .venv, from requirements.txt + constraints.txt (exact pins).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
KINERJA := $(VENV)/bin/kinerja
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo
DEMO_PERIOD ?= 2026-10
DEMO_MONTHS ?= 4
DEMO_EMPLOYEES ?= 3000

.PHONY: install browser demo test bench constraints clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Generates four months of a Semarang-like city and runs them in order (stage, score, publish) into the embedded
# warehouse under .kinerja/ (kept between runs; `make clean` removes it).
demo: install
	rm -rf $(DEMO_DIR)/landing
	$(KINERJA) generate --period $(DEMO_PERIOD) --months $(DEMO_MONTHS) --employees $(DEMO_EMPLOYEES) --out $(DEMO_DIR)/landing
	$(PY) -m pipelines.demo --landing $(DEMO_DIR)/landing --period $(DEMO_PERIOD) --months $(DEMO_MONTHS)

# The report's tests render it in a real headless Chromium: Debian's package (CI runs as root).
# The workbook's print test converts it to PDF with LibreOffice and reads the pages with poppler.
browser:
	command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core)
	(command -v soffice && command -v pdftotext) >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils)

# One pytest worker per core (pytest-xdist): each starts its own embedded PostgreSQL.
TEST_WORKERS ?= 2

test: install browser
	$(PY) -m pytest -n $(TEST_WORKERS)

# Slow figures (not tests): COPY vs the whole load, rows per second, peak memory.
bench: install
	$(PY) bench/load.py

constraints: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^kinerja' > constraints.txt.new
	{ head -2 constraints.txt; cat constraints.txt.new; } > constraints.txt && rm constraints.txt.new

clean:
	rm -rf $(VENV) .kinerja $(DEMO_DIR) .pytest_cache
