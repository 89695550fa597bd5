# cnnlab: two commands.
#   make lab    set everything up, then start JupyterLab on the notebook series (open the URL it prints)
#   make test   set everything up, then run the whole test suite
# Both create (or update) a virtual environment in .venv from requirements.txt; a second run
# only reinstalls when requirements.txt or pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
# JupyterLab refuses to start as root unless told; CI and containers often run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# pytest workers: two on this project's 2-core machines, one file per worker (nbval needs it).
PYTEST_WORKERS ?= 2

.PHONY: lab test bench notebooks student html slides clean

# JupyterLab's defaults for this series (editions/jupyterlab/overrides.json): no pop-up asking to
# fetch news from the internet over the first notebook, no update checks (lecture halls are offline)
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): requirements.txt pyproject.toml editions/jupyterlab/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "cnnlab needs Python >= 3.11, but $(PYTHON) is " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	install -D -m 644 editions/jupyterlab/overrides.json $(LAB_OVERRIDES)
	@touch $(STAMP)

# the npm packages the offline site and slides copy (reveal.js, require.js, MathJax, the widget
# manager) and the tests use (axe-core), exactly as editions/package-lock.json pins them
NPM_STAMP := editions/node_modules/.installed
$(NPM_STAMP): editions/package.json editions/package-lock.json
	npm ci --prefix editions --no-audit --no-fund --loglevel=error
	@touch $(NPM_STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --no-browser --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# Hypothesis runs derandomized (profile "ci", see tests/conftest.py), so a red run can be rerun and
# reproduced exactly; HYPOTHESIS_PROFILE=thorough make test tries ten times the examples.
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE
# Two pytest workers on two cores: one BLAS thread each. With two threads each, the kernels of
# nbval and of the browser test oversubscribe the cores and OpenBLAS threads spin while they wait,
# which made one notebook cell 10x slower than alone.
test: export OPENBLAS_NUM_THREADS = 1
test: export OMP_NUM_THREADS = 1
test: export MKL_NUM_THREADS = 1

test: $(STAMP) $(NPM_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile \
		--nbval --nbval-sanitize-with tests/nbval-sanitize.cfg --nbval-cell-timeout 120

# Re-execute every notebook in a fresh kernel and store its outputs (after changing cnnlab).
notebooks: $(STAMP)
	@for nb in notebooks/[0-9]*.ipynb; do \
		[ -e "$$nb" ] || continue; \
		echo "executing $$nb"; \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.store_widget_state=False "$$nb" || exit 1; \
	done

# The student edition: the notebooks without their revealable solutions, in student/ (self-checks kept)
student: $(STAMP)
	$(BIN)/python scripts/student_edition.py notebooks student

# The classroom editions, offline, from the committed notebooks: the static site (site/index.html
# and one page per notebook, explorers on pictures drawn in advance) with its slides (site/slides/,
# which the index links to); make slides builds the slides alone
html: $(STAMP) $(NPM_STAMP)
	$(BIN)/python scripts/build_site.py site

slides: $(STAMP) $(NPM_STAMP)
	$(BIN)/python scripts/build_site.py --no-pages site

# PyTorch, to compare against: the pinned CPU build, installed into .venv on first use (not by
# make test, which does not need it)
TORCH_VERSION ?= 2.13.0

bench: $(STAMP)
	@$(BIN)/python -c "import torch" 2>/dev/null || \
		$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==$(TORCH_VERSION)
	$(BIN)/python benchmarks/bench_kernels.py
	$(BIN)/python benchmarks/bench_widgets.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis artifacts student site editions/node_modules
