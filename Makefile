# The project's commands. `make run` and `make test` are all a newcomer needs.
#
# Installs come from the committed lock (uv.lock, exported with hashes to
# requirements-dev.lock / requirements.lock), never from whatever the index serves today.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= data/inventory.duckdb
# The documents index `data generate` writes beside the database (the agent's DOCS_INDEX_PATH).
DOCS   := $(basename $(DB))_docs.sqlite
EXPORT := $(BIN)/uv export --frozen --quiet --format requirements-txt --no-emit-project
# The unit tier: in-process tests only (no subprocess servers, no browser, no eval sweep).
FAST   := not servers and not browser and not eval

.PHONY: install lock run data test test-fast bench eval lint format clean

install: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Re-resolve pyproject.toml into uv.lock (keeping pins that still fit; UPGRADE=1 takes the
# newest releases the ranges allow), then export both install files from it.
lock: install
	$(BIN)/uv lock $(if $(UPGRADE),--upgrade)
	$(EXPORT) --no-dev -o requirements.lock
	$(EXPORT) --extra dev -o requirements-dev.lock

data: $(DOCS)

# One run writes both files: a database from before the documents, or an edited
# document, regenerates them.
$(DOCS): $(wildcard genie_local/docs/*.md) | $(STAMP)
	$(BIN)/inventory-agent data generate --db $(DB)

run: install data
	@echo ""
	@echo "  Inventory Genie Agent"
	@echo "  starting Redis, local Genie, agent, worker, API and chat page;"
	@echo "  their URLs are printed once every one answers"
	@echo ""
	$(BIN)/inventory-agent run

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -ra

test-fast: install
	$(BIN)/python -m pytest -q -m "$(FAST)" -p no:randomly

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
