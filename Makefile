# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup index run test test-fast lint eval bench reliability browser-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

index: setup
	$(BIN)/ssri-qa ingest

run: index
	$(BIN)/ssri-qa serve

browser-deps:
	@command -v chromium >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: setup browser-deps
	$(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q -m "not browser and not slow and not model and not server"

lint: setup
	$(BIN)/ruff format --check qa ingest eval tests app.py
	$(BIN)/ruff check qa ingest eval tests app.py
	$(BIN)/mypy qa ingest eval app.py

eval: index
	$(BIN)/ssri-qa eval --split test --compare naive,shipped

bench: index
	$(BIN)/ssri-qa bench

# Crash loop at 20 kill points, restart on a large index, and the 10-minute web soak (tests/test_soak.py).
reliability: setup
	SSRI_QA_KILL_POINTS=20 SSRI_QA_SOAK_SECONDS=600 $(BIN)/pytest -q -m slow

clean:
	rm -rf $(VENV) data test-artifacts
