# The two commands of the README's quick start. Everything runs from the project's virtual
# environment (.venv, made by scripts/setup.sh), never from the PATH's python3; `make test` also
# checks the import layers (pyproject.toml).
.PHONY: setup demo test bench

VENV ?= .venv
BIN := $(VENV)/bin

setup:
	VENV=$(VENV) bash scripts/setup.sh

demo: setup
	rm -f corpus.db
	$(BIN)/cascade ingest corpus/ --db corpus.db
	$(BIN)/cascade tree 57-NQ/TW --db corpus.db
	$(BIN)/cascade tree 73/2023/NĐ-CP --db corpus.db
	$(BIN)/cascade coverage 57-NQ/TW --db corpus.db
	$(BIN)/cascade flag --db corpus.db
	mkdir -p out
	$(BIN)/cascade report 57-NQ/TW --db corpus.db -o out/57-NQ-TW.html --force

# the venv's bin first on PATH, so tests that run `lint-imports` or `cascade` find the venv's
test: setup
	$(BIN)/lint-imports
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest -q -p no:cacheprovider

bench: setup
	$(BIN)/python benchmarks/run.py --docs 1000
