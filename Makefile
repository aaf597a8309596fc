# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench bench-script bench-serve bench-read bench-tts install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,piper]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/briefcast demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py

bench-script: $(STAMP)
	$(BIN)/python benchmarks/bench_script.py

bench-serve: $(STAMP)
	$(BIN)/python benchmarks/bench_serve.py
bench-read: $(STAMP)
	$(BIN)/python benchmarks/bench_read.py
bench-tts: $(STAMP)
	$(BIN)/python benchmarks/bench_tts.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
