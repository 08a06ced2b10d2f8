# One task runner. `make run` and `make test` are the README's two commands.
HOST ?= 127.0.0.1
PORT ?= 8000
HOME_DIR ?= var
PYTEST_ARGS ?=

.PHONY: run setup test lint bench demo

setup:
	./scripts/setup.sh

demo: setup
	.venv/bin/observatory --home $(HOME_DIR) import --demo

run: demo
	.venv/bin/observatory --home $(HOME_DIR) serve --host $(HOST) --port $(PORT)

test:
	./scripts/setup.sh --test
	.venv/bin/python -m pytest -q -n 2 --dist loadfile $(PYTEST_ARGS)

lint:
	./scripts/setup.sh --test
	.venv/bin/ruff check .

bench:
	./scripts/setup.sh --test
	.venv/bin/python -m bench.run_all
