# The project's commands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= data/inventory.duckdb

.PHONY: install run data test bench eval lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

data: $(DB)

$(DB): | $(STAMP)
	$(BIN)/inventory-agent data generate --db $(DB)

run: install data
	@echo ""
	@echo "  Inventory Genie Agent"
	@echo "  starting Redis, local Genie, agent, worker, API and chat page (Procfile);"
	@echo "  their URLs are printed (urls |) once every one answers"
	@echo ""
	$(BIN)/honcho start -f Procfile

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -ra

bench: install data
	$(BIN)/python -m bench

eval: install data
	$(BIN)/python -m bench.eval --db $(DB)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) data artifacts .pytest_cache .ruff_cache
