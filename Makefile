# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test test-fast test-browser screenshot bench clean

install: $(STAMP)

# pip first, from its own hashed pin: the pip a Python 3.11 venv starts with (23.2) resolves an
# extra (jusText's ``lxml[html_clean]``) to the newest release instead of the pinned one, and
# then refuses the lock as unpinned whenever a newer lxml is out.
$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements-pip.lock
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
