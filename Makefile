# One command sets up and opens the notebooks (make lab); one sets up and runs every test (make test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NBVAL  := --nbval --nbval-sanitize-with notebooks/nbval_sanitize.cfg --nbval-current-env

.PHONY: setup lab test lint nbval execute bench bench-widgets bench-browser clean lock

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[notebooks,dev]"
	touch $(STAMP)

setup: $(STAMP)

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# Kernel messages leave the server at once (nndl_backprop/serving.py says why).
NODELAY := --ServerApp.kernel_websocket_connection_class=nndl_backprop.serving.NoDelayConnection

lab: setup
	$(BIN)/jupyter lab $(ROOT_FLAG) $(NODELAY) notebooks/00_start_here.ipynb

lint: setup
	$(BIN)/ruff check .

test: setup lint
	MPLBACKEND=Agg $(BIN)/python -m pytest tests notebooks $(NBVAL)

# Re-run every notebook from a fresh kernel and store its outputs (after changing one).
execute: setup
	for nb in notebooks/*.ipynb notebooks/solutions/*.ipynb; do \
	  (cd $$(dirname $$nb) && $(CURDIR)/$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 $$(basename $$nb)) || exit 1; \
	done

nbval: setup
	$(BIN)/python -m pytest notebooks $(NBVAL)

bench: setup
	$(BIN)/python benchmarks/bench_backprop.py

bench-widgets: setup
	$(BIN)/python benchmarks/bench_widgets.py

# Slider latency in headless Chromium, JupyterLab and Voila, every demo (about 10-20 minutes).
bench-browser: setup
	$(BIN)/python benchmarks/bench_browser.py --markdown benchmarks/browser-latency.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Instructor mode: the code-free demo pages under Voila (reads demos/voila.json), http://localhost:8866
.PHONY: demo binder-check
demo: setup
	cd demos && env -u MPLBACKEND ../$(BIN)/voila --port=8866 .

# The Binder environment rebuilt from binder/ in a fresh venv, every notebook run in it (also part of test).
binder-check: setup
	$(BIN)/python -m pytest tests/test_binder.py tests/test_demos.py -v

# binder/requirements.txt: every package of the Binder image pinned (==), resolved by uv from
# pyproject.toml's dependencies and "notebooks" extra, to the newest versions inside those ranges,
# for binder/runtime.txt's Python on Binder's platform. Needs the package index; run the tests after.
BINDER_PYTHON = $(shell sed -n 's/^python-//p' binder/runtime.txt)
lock: setup
	{ echo "# The Binder image's packages, all pinned. Generated from pyproject.toml by 'make lock'"; \
	  echo "# (uv pip compile, Python $(BINDER_PYTHON), x86_64 Linux); do not edit by hand."; \
	  $(BIN)/uv pip compile pyproject.toml --extra notebooks --upgrade --quiet --no-header \
	      --python-version $(BINDER_PYTHON) --python-platform x86_64-unknown-linux-gnu \
	      --annotation-style line; } > binder/requirements.txt.new
	mv binder/requirements.txt.new binder/requirements.txt
