# The two commands in the README: `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PORT ?= 8000

.PHONY: run test install lint demo clean python-ok port-ok

# One clear line if Python is missing or not the version the project needs (pyproject: 3.11).
python-ok:
	@command -v $(PY) >/dev/null 2>&1 || { echo "make: '$(PY)' was not found. openleave needs Python 3.11: install it, or point make at one: make run PY=/path/to/python3.11" >&2; exit 2; }
	@v=$$($(PY) -c 'import platform; print(platform.python_version())' 2>/dev/null); case "$$v" in 3.11.*) ;; \
	  "") echo "make: '$(PY)' could not be run. openleave needs Python 3.11: point make at one: make run PY=python3.11" >&2; exit 2;; \
	  *) echo "make: openleave needs Python 3.11, and '$(PY)' is Python $$v. Point make at a 3.11: make run PY=python3.11" >&2; exit 2;; esac

$(BIN)/python: | python-ok
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstalls only when the dependencies change (the stamp is newer than pyproject.toml and the lock).
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	@echo "Installing the dependencies into $(VENV) (log: $(VENV)/pip.log)"
	@$(BIN)/pip install -q -c requirements.lock -e '.[dev]' >$(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; exit 1; }
	@touch $@

install: python-ok $(VENV)/.installed

# Checks the port before anything is changed; prints the sign-ins last, right before the server starts.
port-ok: python-ok
	@$(PY) scripts/check_port.py "$(PORT)"

run: port-ok install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo --no-sign-ins
	$(BIN)/python manage.py load_demo_leave
	$(BIN)/python manage.py load_demo_requests
	@$(BIN)/python manage.py sign_ins --port "$(PORT)"
	@$(BIN)/python manage.py runserver --skip-checks "127.0.0.1:$(PORT)"

test: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

demo: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_demo --no-sign-ins
	$(BIN)/python manage.py load_demo_leave
	$(BIN)/python manage.py load_demo_requests
	@$(BIN)/python manage.py sign_ins --port "$(PORT)"

clean:
	rm -rf $(VENV) var staticfiles
