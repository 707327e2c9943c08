# Two commands on a fresh machine: `make map` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: map test lint browser clean geometry-check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Render the default map of the bundled dataset to output/partners.html.
map: $(STAMP)
	$(BIN)/partnermap render

## Chromium for the browser tests: installed with apt when missing and we can, else stop with the command.
browser:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The browser tests need Chromium at $(CHROMIUM). Install it with:"; \
	  echo "    sudo apt-get install -y chromium"; \
	  echo "(or set CHROMIUM=/path/to/chromium)"; exit 1; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

## The whole suite, with coverage of src/ (fails below 85%).
test: $(STAMP) browser lint
	PARTNERMAP_CHROMIUM=$(CHROMIUM) $(BIN)/pytest --cov --cov-report=term

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
