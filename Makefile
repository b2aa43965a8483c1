# 三方联动议事台 — the two commands a new user needs are `make demo` and `make test`.
# Everything the app needs is installed from here, so a fresh Debian machine (as root) works.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app tracker
# WeasyPrint needs Pango; without libharfbuzz-subset0 it is 25–65× slower. The CJK font is
# embedded in minutes PDFs (fontconfig's fc-list lets the app check it is there); poppler-utils
# turns PDFs into text and pictures for checking them.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fontconfig poppler-utils
# The browser tests drive Debian's Chromium (Playwright's own browser download is not needed);
# chromium-l10n has its Chinese words (the file chooser's button in the guide's screenshots).
E2E_SYSTEM_PACKAGES := chromium chromium-l10n
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: demo test e2e guide install install-test system-packages limiter-storage translations db clean help

help:
	@echo "make demo   install, migrate, load the demo and serve on http://$(HOST):$(PORT)"
	@echo "make test   install with test dependencies and run the whole suite"
	@echo "make e2e    install Chromium and Playwright, then play the seed story in the browser"

demo: install limiter-storage
	$(FLASK) db upgrade
	$(FLASK) demo load
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops)"
	@workers=2; \
	if [ -z "$$RATELIMIT_STORAGE_URI" ] && ! $(REDIS_ANSWERS); then \
	  workers=1; echo "No Redis answers on 127.0.0.1:6379: serving one worker, so that every limit counts once"; \
	fi; \
	echo "$(BIN)/gunicorn --workers $$workers --bind $(HOST):$(PORT) --access-logfile - wsgi:app"; \
	exec $(BIN)/gunicorn --workers $$workers --bind $(HOST):$(PORT) --access-logfile - wsgi:app

# The throttles (failed logins, status lookups, verifications) count in the Redis on this machine,
# so that the demo's two workers add to one count (tracker/core/throttling.py): installed and
# started here when none answers and RATELIMIT_STORAGE_URI names no other storage. It keeps
# counters only, nothing on disk.
REDIS_ANSWERS = $(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=1).ping()" 2>/dev/null
limiter-storage: $(VENV)/.installed
	@if [ -z "$$RATELIMIT_STORAGE_URI" ] && ! $(REDIS_ANSWERS); then \
	  $(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="redis-server"; \
	  if ! $(REDIS_ANSWERS) && command -v redis-server >/dev/null; then \
	    echo "Starting Redis on 127.0.0.1:6379"; \
	    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; \
	    for _ in 1 2 3 4 5 6 7 8 9 10; do $(REDIS_ANSWERS) && break; sleep 0.5; done; \
	  fi; \
	fi

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The seed story in a real browser (tests/e2e): gunicorn on a free port with a fresh database,
# Chromium on a phone, a tablet and a desktop; the screenshots go to build/e2e-screenshots/.
e2e: install-test $(VENV)/.installed-e2e
	@$(MAKE) --no-print-directory system-packages SYSTEM_PACKAGES="$(E2E_SYSTEM_PACKAGES)"
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

# For developers: the same run, refreshing the pictures of docs/guide.md.
guide:
	$(MAKE) e2e E2E_SCREENSHOTS=$(CURDIR)/docs/guide

install: system-packages $(VENV)/.installed translations

install-test: install $(VENV)/.installed-test

# Installs only what is missing, and only when it can (as root); otherwise it says what to do.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages:$$missing — install them with: sudo apt-get install$$missing"; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-installs only when the declared dependencies change. setuptools says "Editable
# installation" on every editable install; that is what this is, so the notice is not shown.
PIP_INSTALL := PYTHONWARNINGS="ignore:Editable installation:UserWarning" $(BIN)/python -m pip install --quiet
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP_INSTALL) -e ".[test]"
	@touch $@

$(VENV)/.installed-e2e: $(VENV)/.installed-test
	$(PIP_INSTALL) -e ".[test,e2e]"
	@touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel --quiet compile -d tracker/translations

# For developers: collect new UI strings into the catalogues, then translate them in the .po files.
update-translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' --no-location --sort-output -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete
	@echo "Now fill in the empty msgstr entries in tracker/translations/zh/LC_MESSAGES/messages.po"

db: install
	$(FLASK) db upgrade

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
