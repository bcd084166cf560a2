# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast test-browser screenshot bench clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	rm -f out/newstrace.db
	$(VENV)/bin/newstrace run examples/corpus --db out/newstrace.db --out out/
	@echo "Report: out/report.html  (JSON: out/report.json)"

test: install
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow"

# Headless Chromium end-to-end tests (Debian's chromium; `.ci/run` installs it).
test-browser: install
	$(PY) -m pytest -q -p no:cacheprovider -m browser tests/web

# Rewrites docs/screenshot-story.png: the demo database's largest story, first edge open.
screenshot: demo
	NEWSTRACE_SCREENSHOT_DB=out/newstrace.db $(PY) -m pytest -q -p no:cacheprovider tests/web/test_browser.py -k screenshot

clean:
	rm -rf $(VENV) out .pytest_cache
