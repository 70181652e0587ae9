# OncoBoard developer commands.  README.md documents `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
KB := desktop/oncoboard/data/kb.sqlite
DEMO_OUT := out/demo
KB_SOURCES := $(shell find knowledgebase -type f \( -name '*.yaml' -o -name '*.tsv' \) 2>/dev/null) \
              $(wildcard desktop/oncoboard/core/kb/*.py) $(wildcard desktop/oncoboard/core/survival/*.py)

# Debian packages: real-window GUI tests under Xvfb, and PDF checks (pdftoppm/pdftotext).
APT_PACKAGES := xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 \
                libxcb-shape0 libxcb-xkb1 fonts-dejavu-core fonts-dejavu-extra poppler-utils

export QT_QPA_PLATFORM ?= offscreen

.PHONY: help setup demo test test-slow test-bundle lint app kb bundle tarball benchmarks clean

help:
	@echo "make demo   - set up, build the knowledge base, analyse the demo cases, write the PDF"
	@echo "make test   - set up, then run the whole test suite headless"
	@echo "make app    - launch the desktop application"
	@echo "make lint   - ruff, mypy on core/ and gui/, and the layers (import-linter, docs/ARCHITECTURE.md)"
	@echo "make kb     - rebuild the knowledge base"
	@echo "make bundle - build the PyInstaller one-folder bundle (make tarball: Linux tarball)"
	@echo "make test-bundle - build the bundle and test the frozen CLI and GUI"

$(STAMPS)/apt:
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "NOTE: missing Debian packages: $$missing"; \
	  echo "      install them with: sudo apt-get install $$missing"; \
	  echo "      (without them, real-window and PDF-rendering tests are skipped)"; \
	  exit 0; \
	fi
	@touch $@

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(PY) || { echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "installing OncoBoard and its dependencies into $(VENV) (first run takes a few minutes)"
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e ".[dev]"
	@touch $@

setup: $(STAMPS)/apt $(STAMPS)/venv

$(KB): $(STAMPS)/venv $(KB_SOURCES)
	@echo "building the knowledge base -> $(KB)"
	@mkdir -p $(dir $(KB))
	@$(VENV)/bin/oncoboard kb build --out $(KB)
	@$(PY) -m oncoboard.core.kb.runtime_reference

kb: $(KB)

demo: setup $(KB)
	@$(VENV)/bin/oncoboard demo --output $(DEMO_OUT) assets/demo/*.json

test: setup $(KB)
	@$(VENV)/bin/pytest -q -m "not slow"

test-slow: setup $(KB)
	@$(VENV)/bin/pytest -q -m slow

lint: setup
	@$(VENV)/bin/ruff check desktop tests benchmarks
	@$(VENV)/bin/mypy
	@$(VENV)/bin/lint-imports

app: setup $(KB)
	@$(VENV)/bin/oncoboard-gui

bundle: setup $(KB)
	@$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/oncoboard.spec

tarball: bundle
	@bash packaging/linux/make_tarball.sh

test-bundle: setup $(KB)
	@$(VENV)/bin/pytest -q -m bundle tests/test_bundle.py

benchmarks: setup $(KB)
	@$(PY) benchmarks/run.py

clean:
	rm -rf $(STAMPS) build dist out
