# eOffice. `make run` serves the demo; `make test` runs the whole suite on MariaDB + Redis.
.PHONY: run test install install-dev services lint format bench bench-quick clean

run: install
	scripts/run.sh

test: install-dev services
	scripts/test.sh $(ARGS)

install:
	scripts/install.sh

install-dev:
	scripts/install.sh --dev

services:
	scripts/services.sh

lint: install-dev
	.venv/bin/ruff check apps tests
	.venv/bin/ruff format --check apps tests

format: install-dev
	.venv/bin/ruff format apps tests
	.venv/bin/ruff check --fix apps tests

clean:
	rm -rf .venv staticfiles tests/js/node_modules
