# Two commands on a fresh machine: `make map` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: map install test lint system-deps pictures clean bench story fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Render the default map of the bundled dataset to output/partners.html.
map: $(STAMP)
	$(BIN)/partnermap render

## Install the partnermap command for everyday use, outside this checkout's .venv (with pipx).
install:
	@if command -v pipx >/dev/null; then pipx install --force .; \
	else echo "pipx not found: install it (sudo apt-get install -y pipx), then run: pipx install ."; exit 1; fi

## The bundled story (stories/) as an offline page and a deck, in output/.
story: $(STAMP)
	$(BIN)/partnermap story stories/japan-response-to-trump-2.md -o output/story.html
	$(BIN)/partnermap story stories/japan-response-to-trump-2.md -o output/story.pptx

## What the tests need from Debian: chromium (browser tests), a CJK font (Japanese static maps),
## LibreOffice Calc and Impress (workbooks and decks opened in a real client) and poppler-utils
## (their PDFs read back). Node.js (rules.js against the shared vectors) is on every machine.
## Installed with apt when missing and we can; otherwise stop at once with the command to run.
SYSTEM_PACKAGES = chromium fonts-noto-cjk libreoffice-calc libreoffice-impress poppler-utils
system-deps:
	@command -v node >/dev/null || { echo "The tests need Node.js 20 (node --test tests/js)."; exit 1; }; \
	missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing="$$missing libreoffice-calc"; \
	[ -e /usr/lib/libreoffice/program/libsdlo.so ] || missing="$$missing libreoffice-impress"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then SUDO=""; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; \
	else \
	  echo "The tests need:$$missing. Install with:"; \
	  echo "    sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
	  echo "(or set CHROMIUM=/path/to/chromium)"; exit 1; \
	fi; \
	echo "Installing$$missing with apt..."; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null

lint: $(STAMP)
	$(BIN)/ruff check .

## The whole suite, with coverage of src/ (fails below 85%).
test: $(STAMP) system-deps lint
	PARTNERMAP_CHROMIUM=$(CHROMIUM) $(BIN)/pytest --cov --cov-report=term

## The fuzzer over every output (tests/test_fuzz.py) at length: 300 examples per test instead of make test's 6.
fuzz: $(STAMP)
	PARTNERMAP_FUZZ_EXAMPLES=$${PARTNERMAP_FUZZ_EXAMPLES:-300} $(BIN)/pytest -q tests/test_fuzz.py tests/test_text.py

## Benchmarks (BENCHMARKS.md): `make bench`, or e.g. `make bench ARGS="--quick"` / `ARGS="--write BENCHMARKS.md"`.
bench: $(STAMP) system-deps
	$(BIN)/pip install --quiet -e '.[test,bench]'
	PARTNERMAP_CHROMIUM=$(CHROMIUM) $(BIN)/python benchmarks/run.py $(ARGS)

## The README's pictures (docs/img/): a browser screenshot of the default map and a static export.
pictures: $(STAMP) system-deps
	PARTNERMAP_CHROMIUM=$(CHROMIUM) $(BIN)/python scripts/pictures.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
