# The two commands: `make run` (demo data on SQLite, http://127.0.0.1:$PORT) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: install run test lint bench vendor messages lock clean

$(STAMP): pyproject.toml constraints.txt
	@$(PY) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Local demo over plain http: secure cookies off; the second factor only for administrators.
# The worker (spreadsheet imports, periodic jobs) runs beside the server and stops with it.
run: install
	OVERSIGHT_SECURE_COOKIES=0 OVERSIGHT_MFA=$${OVERSIGHT_MFA:-admins} sh -c '\
	  $(BIN)/oversight demo --if-empty && \
	  $(BIN)/oversight init && \
	  { $(BIN)/oversight worker & worker=$$!; \
	    trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	    $(BIN)/oversight serve --bind 127.0.0.1:$(PORT); }'

test: install
	$(BIN)/pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src
	$(BIN)/lint-imports

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/catalog_load.py
	$(BIN)/python bench/api_boundary.py
	$(BIN)/python bench/subject_import.py
	$(BIN)/python bench/subject_list.py
	$(BIN)/python bench/draw.py
	$(BIN)/python bench/draw_service.py

vendor:
	./scripts/vendor.sh

# Extract English msgids into the zh-Hans catalog and compile it (needs GNU gettext).
messages: install
	cd src/oversight && ../../$(BIN)/oversight makemessages -l zh_Hans --no-obsolete --no-location
	cd src/oversight && ../../$(BIN)/oversight compilemessages -l zh_Hans

# Re-pin every dependency (run after changing pyproject.toml).
lock:
	rm -rf .venv-lock && $(PY) -m venv .venv-lock
	.venv-lock/bin/python -m pip install -q --upgrade pip
	.venv-lock/bin/python -m pip install -q -e '.[dev]'
	.venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^oversight' > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
