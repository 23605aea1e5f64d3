# The two commands a fresh machine needs are `make build` and `make test`;
# each installs what it uses into .venv first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CONTENT ?= content
OUTPUT ?= output
THEME ?= themes/default
PORT ?= 8000
BENCH_ARGS ?=

.PHONY: build check inspect test test-fast clean docs help screenshots serve bench

help:
	@echo "make build   set up .venv and build $(CONTENT)/ into $(OUTPUT)/"
	@echo "make serve   build, serve on http://127.0.0.1:$(PORT)/, rebuild and reload on every change"
	@echo "make check   validate $(CONTENT)/ (strict), write nothing"
	@echo "make inspect self-inspection report of $(CONTENT)/ into inspection/ (TODAY=YYYY-MM-DD, FAIL_ON=warning)"
	@echo "make test    install test tools and run the test suite (the fast tier first, then the rest)"
	@echo "make test-fast  only the fast tier: no browser, slow or property tests (under a minute)"
	@echo "make clean   remove $(OUTPUT)/, caches and .venv"
	@echo "make docs    regenerate the README field reference from the schemas"
	@echo "make bench   benchmark on synthesized sites (BENCH_ARGS=--quick for a smoke test)"
	@echo "make screenshots  save 375 px and 1280 px screenshots of every page type into screenshots/"

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

# The media extra (PyAV) lets the tests encode real audio and video instead of skipping those cases.
$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,media]'
	touch $@

# The browser tests drive Debian's Chromium (never a downloaded browser) with axe-core and the
# Nu Html Checker from npm (vnu needs Java), and serve the site with Debian's nginx under the generated
# _nginx.conf (the tests start and stop their own on a loopback port; where an init system starts the
# packaged service, `systemctl disable --now nginx` stops it).
# Installed once; --ignore-scripts stops vnu-jar from trying to download a Java runtime.
$(VENV)/.installed-browser: package.json package-lock.json | $(VENV)/.installed-test
	@if ! { command -v chromium && command -v java && command -v npm && test -x /usr/sbin/nginx \
	    && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
	    default-jre-headless fontconfig nginx $$(command -v npm >/dev/null 2>&1 || echo nodejs npm); fi
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

build: $(VENV)/.installed
	$(PY) -m generator build --content $(CONTENT) --output $(OUTPUT) --theme $(THEME)

serve: $(VENV)/.installed
	$(PY) -m generator serve --content $(CONTENT) --output $(OUTPUT) --theme $(THEME) --port $(PORT)

bench: $(VENV)/.installed
	$(PY) tests/benchmark/run.py $(BENCH_ARGS)

check: $(VENV)/.installed
	$(PY) -m generator check --content $(CONTENT) --strict

TODAY ?=
FAIL_ON ?= error
# The report (inspection/index.html, inspection/report.json) goes beside $(OUTPUT), never into it.
inspect: $(VENV)/.installed
	$(PY) -m generator inspect --content $(CONTENT) --output $(OUTPUT) --fail-on $(FAIL_ON) $(if $(TODAY),--today $(TODAY))

FAST := not slow and not browser and not property

test: $(VENV)/.installed-test $(VENV)/.installed-browser
	$(PY) -m pytest -q -m "$(FAST)"
	$(PY) -m pytest -q -m "not ($(FAST))"

test-fast: $(VENV)/.installed-test
	$(PY) -m pytest -q -m "$(FAST)"

screenshots: $(VENV)/.installed-test $(VENV)/.installed-browser
	$(PY) tests/browser/screenshots.py --out screenshots

clean:
	rm -rf $(OUTPUT) $(dir $(OUTPUT))inspection .output.* .$(notdir $(OUTPUT)).cache .pytest_cache .hypothesis build *.egg-info $(VENV) \
	  node_modules screenshots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

docs: $(VENV)/.installed
	$(PY) -m generator.reference README.md
