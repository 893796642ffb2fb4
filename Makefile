# Two front doors: `make demo` and `make test`. Both create .venv and install the pinned
# versions from constraints.txt the first time (about two minutes), then reuse it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test check-report train report
setup: $(VENV)/.installed

# torch's Linux wheels bring their CUDA libraries: .venv takes about 6 GiB. Say so in one line
# instead of failing halfway through pip with "No space left on device".
NEED_GIB := 6.5

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c "import shutil, sys; free = shutil.disk_usage('.').free / 2**30; \
	sys.exit(0 if free >= $(NEED_GIB) else f'setup: .venv needs about $(NEED_GIB) GiB free, {free:.1f} GiB free here')"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

demo: setup
	$(PY) demo.py

# The suite on every core (pytest-xdist), its slowest tests printed; the report's full regeneration
# (several minutes alone) is `make check-report`, which CI runs after it (.ci/run).
test: setup
	$(PY) -m pytest -n auto --durations=15 -m "not full_report"

check-report: setup
	$(PY) -m pytest -m full_report --durations=1

train: setup
	$(PY) train_all.py

report: setup
	$(PY) -m zoo.report
