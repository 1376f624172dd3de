# Crisis Desk — `make run` and `make test` work on a fresh machine: each creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format installer installer-check bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,installer]'
	touch $(STAMP)

run: $(STAMP)
	@$(BIN)/python -m app.platform_check
	$(BIN)/crisisdesk

# The suite runs headless. With dbus and gnome-keyring present (CI installs them), it runs
# inside a private D-Bus session with an unlocked keyring, so the real keyring test runs too.
# It runs on one worker per CPU (pytest-xdist); `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= auto
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/with-keyring $(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

# The house rules: style, the import contracts (layers, Qt-free core) and types over app/.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

installer: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build_installer.spec

# Smoke check of the built binary: a fresh workspace answers info --json, and a screenshot renders.
installer-check: installer
	scripts/installer-smoke dist/crisisdesk/crisisdesk

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# Every page of the demo at 1280×800, light and dark, into docs/screenshots/ (look at each).
screenshots: $(STAMP)
	scripts/screenshots

clean:
	rm -rf build dist .pytest_cache
