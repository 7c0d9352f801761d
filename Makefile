# The README's two commands: `make demo` and `make test` (plus eval, bench, lint).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus

.PHONY: demo test eval bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/painpoint scan data/plans --top 5
	$(BIN)/painpoint match --plans data/plans --orgs data/orgs --top 3
	$(BIN)/painpoint report --plans data/plans --orgs data/orgs --out out/report
	@echo "open the report of the sample county: $(CURDIR)/out/report/report.html"

# pytest exits 5 when it collected no tests; here that is a failure, never a pass.
test: $(VENV)/.installed
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

eval: $(VENV)/.installed
	@if [ -d "$(CORPUS)" ]; then $(BIN)/painpoint eval --corpus $(CORPUS); \
	else echo "no corpus at $(CORPUS): set CORPUS=DIR" >&2; exit 1; fi

bench: $(VENV)/.installed
	$(BIN)/python bench/bench.py

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .mypy_cache
