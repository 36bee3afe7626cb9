# The two front-door commands: `make run` (set up, then run on data/raw) and `make test`.
# Both create the virtual environment on first use and reuse it afterwards.

VENV ?= .venv
PYTHON ?= python3
# The CPU build of torch: a plain `torch` requirement pulls a CUDA build of several GB.
TORCH_SPEC ?= torch==2.13.0
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test report bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/trends run

test: $(STAMP)
	$(BIN)/python -m pytest

report: $(STAMP)
	$(BIN)/trends report

clean:
	rm -rf data/processed data/cache reports
