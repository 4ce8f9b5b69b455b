# Two commands on a fresh machine with only python3:
#   make demo   plan the built-in Zhoushan week (joint and separate) and print the summary
#   make test   run ruff, mypy and the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-quick clean browser

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/islandroute network show --network zhoushan
	$(BIN)/islandroute network validate --network zhoushan
	$(BIN)/islandroute network export --network zhoushan --out zhoushan-network.json
	$(BIN)/islandroute plan --network zhoushan --mode joint --time-limit 60 --out zhoushan-plan.json

# The report's browser tests drive Debian's Chromium (never a downloaded browser): installed
# here when missing and this is root on a Debian machine (as CI is); else they are skipped.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: no chromium on PATH: the report's browser tests will be skipped"; fi; }

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/run_quick.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
