# The two commands of the README's quick start; `make test` also checks the import layers (pyproject.toml).
.PHONY: setup demo test bench

setup:
	bash scripts/setup.sh

demo: setup
	rm -f corpus.db
	cascade ingest corpus/ --db corpus.db
	cascade tree 57-NQ/TW --db corpus.db
	cascade tree 73/2023/NĐ-CP --db corpus.db
	cascade coverage 57-NQ/TW --db corpus.db
	cascade flag --db corpus.db

test: setup
	lint-imports
	python3 -m pytest -q

bench: setup
	python3 benchmarks/run.py --docs 1000
