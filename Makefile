# Every target bootstraps .venv from pyproject.toml; nothing else to install by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench goldens clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	SOURCE_DATE_EPOCH=1767225600 $(BIN)/sbomkit sbom examples/demo-project -o demo.cdx.json
	SOURCE_DATE_EPOCH=1767225600 $(BIN)/sbomkit --quiet sbom examples/demo-project --format spdx-json -o demo.spdx.json

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	bash benchmarks/tools.sh
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/ecosystems.py

goldens: $(STAMP)
	UPDATE_GOLDENS=1 $(BIN)/pytest tests/formats tests/test_end_to_end.py tests/test_polyglot.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache demo.cdx.json demo.spdx.json
