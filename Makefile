# Two front doors: `make demo` and `make test`. Both create .venv and install the pinned
# versions from constraints.txt the first time (about two minutes), then reuse it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test train report
setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

demo: setup
	$(PY) demo.py

test: setup
	$(PY) -m pytest

train: setup
	$(PY) train_all.py

report: setup
	$(PY) -m zoo.report
