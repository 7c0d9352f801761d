# The README's two commands: `make demo` and `make test` (plus eval, bench, lint).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus

.PHONY: demo test eval bench lint i18n precompile clean

# A .venv built by another Python (upgraded, moved or removed since) is rebuilt here instead of failing every
# later make: its interpreter must run and be the version $(PYTHON) is.
VENV_PY := $(shell $(BIN)/python -c "import sys; print(sys.version_info[:2])" 2>/dev/null)
WANT_PY := $(shell $(PYTHON) -c "import sys; print(sys.version_info[:2])" 2>/dev/null)
ifneq ($(VENV_PY),$(WANT_PY))
ifneq ($(wildcard $(VENV)),)
$(info .venv was built with another Python ($(or $(VENV_PY),broken)); rebuilding it with $(PYTHON) $(WANT_PY))
$(shell rm -rf $(VENV))
endif
endif

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
	@echo "用浏览器打开示例县的报告 / open the sample county's report: $(CURDIR)/out/report/report.html"
	@echo "painpoint 已装在 .venv 中：运行 'source .venv/bin/activate'（或 'pipx install .'）后即可直接输入 painpoint"
	@echo "painpoint is installed in .venv: run 'source .venv/bin/activate' (or 'pipx install .') to type 'painpoint'"

# pytest exits 5 when it collected no tests; here that is a failure, never a pass.
test: $(VENV)/.installed
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

eval: $(VENV)/.installed
	@if [ -d "$(CORPUS)" ]; then $(BIN)/painpoint eval --corpus $(CORPUS); \
	else echo "no corpus at $(CORPUS): set CORPUS=DIR" >&2; exit 1; fi

bench: $(VENV)/.installed
	$(BIN)/python bench/bench.py

# The compiled lexicon shipped in the package (src/painpoint/resources/compiled_lexicon.json), so that a first
# run never loads jieba: rebuild it after editing lexicon.txt, stopwords.txt or taxonomy.yaml, or upgrading
# jieba (tests/perf/test_cold.py fails while it is stale).
precompile: $(VENV)/.installed
	$(BIN)/python -m painpoint.themes.segmentation

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests
	$(BIN)/mypy

# The message catalogue: extract every _()/N_()/ngettext() message, merge it into the Chinese .po (translate the
# new entries there, then run this again), compile the .mo that painpoint reads.
POT := src/painpoint/locale/painpoint.pot
i18n: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project painpoint --msgid-bugs-address "" -o $(POT) .
	$(BIN)/pybabel update -D painpoint -i $(POT) -d src/painpoint/locale --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -D painpoint -d src/painpoint/locale

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .mypy_cache
