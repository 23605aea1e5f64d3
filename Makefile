# The two commands a fresh machine needs are `make build` and `make test`;
# each installs what it uses into .venv first.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CONTENT ?= content
OUTPUT ?= output
THEME ?= themes/default

.PHONY: build check test clean docs help

help:
	@echo "make build   set up .venv and build $(CONTENT)/ into $(OUTPUT)/"
	@echo "make check   validate $(CONTENT)/ (strict), write nothing"
	@echo "make test    install test tools and run the test suite"
	@echo "make clean   remove $(OUTPUT)/, caches and .venv"
	@echo "make docs    regenerate the README field reference from the schemas"

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(PY) -m generator build --content $(CONTENT) --output $(OUTPUT) --theme $(THEME)

check: $(VENV)/.installed
	$(PY) -m generator check --content $(CONTENT) --strict

test: $(VENV)/.installed-test
	$(PY) -m pytest -q

clean:
	rm -rf $(OUTPUT) .output.* .pytest_cache .hypothesis build *.egg-info $(VENV)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

docs: $(VENV)/.installed
	$(PY) -m generator.reference README.md
