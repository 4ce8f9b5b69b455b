# Two commands on a fresh machine with only python3:
#   make demo   plan the built-in Zhoushan week (joint and separate) and print the summary
#   make test   run ruff, mypy and the whole test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench-quick clean

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

test: $(STAMP)
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
