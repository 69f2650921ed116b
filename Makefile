# pakn: `make run` starts the whole system locally; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PROVINCE ?= kontum
STAMP := $(VENV)/.installed

.PHONY: run test lint unit integration e2e package bench browser screenshots clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q "pip>=24,<26.3"  # chalice 1.34 packages with pip below 26.3
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own download is not used),
# and DejaVu fonts, which cover every Vietnamese letter (fontconfig does not count
# fonts-liberation, which Chromium only recommends, as covering Vietnamese).
BROWSER_PACKAGES := chromium fonts-dejavu-core
browser:
	@{ command -v chromium && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } >/dev/null || { \
	  (apt-get update -qq || sudo apt-get update -qq) && \
	  (apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null || sudo apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null); }

run: $(STAMP)
	$(PY) -m infra.local_stack

lint: $(STAMP)
	$(VENV)/bin/ruff check app.py chalicelib infra tests bench
	$(VENV)/bin/ruff format --check app.py chalicelib infra tests bench

test: $(STAMP) browser lint
	$(PY) -m pytest

package: $(STAMP)
	$(PY) -m infra.package --stage $(PROVINCE) --out build/package

bench: $(STAMP)
	$(PY) -m bench.cold_start
	$(PY) -m bench.workflow
	$(PY) -m bench.stats

# PNGs of the main pages (phone and desktop) into docs/screenshots/, for docs/screenshots.md.
# chromium-l10n (about 120 MB, so not for the tests) puts the browser's own words,
# such as a date input's, in Vietnamese.
screenshots: $(STAMP) browser
	@test -f /usr/lib/chromium/locales/vi.pak || { \
	  (apt-get update -qq || sudo apt-get update -qq) && \
	  (apt-get install -y -qq chromium-l10n >/dev/null || sudo apt-get install -y -qq chromium-l10n >/dev/null); }
	$(PY) -m infra.screenshots

clean:
	rm -rf build .pytest_cache .ruff_cache .chalice/deployments
