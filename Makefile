# The README's commands. `make run` serves the catalog; `make test` checks everything.
# Debian's python3.11 first: it has the fix for CVE-2024-7592 (a crafted cookie read in quadratic
# time, which ties up a worker), backported, while a python3.11 found first on PATH may not (pyenv's
# 3.11.7 here). catalog/interpreter.py judges whichever is used by what it does, not its version,
# before the environment is built on it and on every `make install`.
PYTHON ?= $(or $(wildcard /usr/bin/python3.11),python3.11)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Developers run the site with DEBUG on, its links naming where `make run` serves; production
# sets its own environment (see README).
DEV_ENV := DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: help install run serve test test-sqlite test-postgres lint format browser redis nginx bench \
	clean messages gettext validator lighthouse npm

help:
	@echo "make run    set up everything and serve http://$(HOST):$(PORT)/"
	@echo "make test   lint, migration check, and the test suite on SQLite and PostgreSQL"
	@echo "make bench  measure the pages at 1,000 and 100,000 programmes (benchmarks/results.md)"
	@echo "make lighthouse  Lighthouse's scores for the public pages (benchmarks/lighthouse.md)"
	@echo "make messages  update the translation catalogs (locale/) from the code, then compile them"
	@echo "make lint / make format / make clean"

# Re-install only when the dependency list changes, so a second `make run` is quick.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || { $(PYTHON) catalog/interpreter.py && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The site's languages: German, Italian and Swedish catalogs in locale/<language>/LC_MESSAGES/.
# Their compiled .mo files are built here (not committed) with msgfmt, from Debian's gettext.
LANGS := de it sv
# reasons.po: the catalog's recorded reasons for its inferences, which are data, not code
# (programs/core/reasons.py), so makemessages leaves that catalog alone.
PO_FILES := $(foreach lang,$(LANGS),locale/$(lang)/LC_MESSAGES/django.po locale/$(lang)/LC_MESSAGES/reasons.po)
MO_FILES := $(PO_FILES:.po=.mo)

# Also refuses an environment built earlier on an unfixed interpreter, saying how to rebuild it.
install: $(STAMP) $(MO_FILES)
	@$(BIN)/python catalog/interpreter.py

gettext:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's gettext for the translation catalogs"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "gettext is not installed: run 'sudo apt-get install gettext'"; exit 1; \
	  fi; }

locale/%.mo: locale/%.po | gettext
	msgfmt --check -o $@ $<

# After marking new strings (or changing old ones): collect them into the three catalogs, where
# new ones appear untranslated (and changed ones fuzzy) until someone translates them; then
# compile. tests/project/test_translations.py fails while any is left untranslated or fuzzy.
MAKEMESSAGES := DEBUG=1 $(BIN)/python manage.py makemessages --no-location --no-obsolete \
	--ignore=.venv --ignore=tests --ignore=staticfiles --ignore=benchmarks

messages: $(STAMP) gettext
	$(MAKEMESSAGES) $(foreach lang,$(LANGS),-l $(lang))
	$(MAKE) --no-print-directory $(MO_FILES)

# Approved proposals go live on their date when `publish_due_proposals` runs: on a server, cron
# or a systemd timer runs it every minute (README, "Proposals and review"); here it runs beside
# runserver every PUBLISH_EVERY seconds and is stopped with it (the trap; and it stops by itself
# if its shell is gone).
PUBLISH_EVERY ?= 60

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_catalog
	@echo ""
	@echo "Catalog: http://$(HOST):$(PORT)/    Admin: http://$(HOST):$(PORT)/admin/"
	@echo "To log in to the admin, create an account first (no default passwords exist):"
	@echo "  DEBUG=1 $(BIN)/python manage.py createsuperuser"
	@echo "  or, for a university's admissions staff:"
	@echo "  DEBUG=1 $(BIN)/python manage.py create_staff_user USERNAME --university rwth-aachen"
	@echo ""
	$(DEV_ENV) $(BIN)/python manage.py publish_due_proposals --every $(PUBLISH_EVERY) & \
	publisher=$$!; trap 'kill $$publisher 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-like: DEBUG off, hashed static files, gunicorn. Needs SECRET_KEY, SITE_URL and
# ALLOWED_HOSTS.
serve: install
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/gunicorn -c python:catalog.gunicorn catalog.wsgi --bind $(HOST):$(PORT) --workers 3

# The last step asks PyPI whether each runtime dependency is at the newest release its range in
# pyproject.toml allows (security fixes come as such releases); offline it warns, under CI it fails.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python .ci/newest_releases.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Real Chromium for the browser tests, from Debian (Playwright's own download can't reach us).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is not installed: run 'sudo apt-get install chromium' for the browser tests"; \
	  fi; }

# One test process per core (pytest-xdist), an idle one taking over queued tests from a busy one:
# the fuzz run's long tests would otherwise pile up on one process.
PYTEST := $(BIN)/pytest --numprocesses=auto --dist worksteal

test-sqlite: install
	@echo "==== Test pass 1 of 2: SQLite ===="
	env -u DATABASE_URL $(PYTEST)

# The fuzz run's full 1,000 requests per endpoint run on SQLite; PostgreSQL gets 250 of them.
test-postgres: install
	@echo "==== Test pass 2 of 2: PostgreSQL ===="
	FUZZ_EXAMPLES=250 $(BIN)/python tests/run_with_postgres.py -- $(PYTEST)

# Redis from Debian for the shared-cache tests, which start and remove their own server.
redis:
	@command -v redis-server >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's redis-server for the cache tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "redis-server is not installed: run 'sudo apt-get install redis-server' for the cache tests"; \
	  fi; }

# nginx from Debian for the proxy tests (tests/project/test_behind_the_proxy.py), which run the
# site file users deploy (deploy/nginx/catalog.conf) in a temporary directory, in front of
# gunicorn, with a certificate openssl makes for them.
nginx:
	@{ command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx; } && command -v openssl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's nginx for the proxy tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null; \
	  else \
	    echo "nginx is not installed: run 'sudo apt-get install nginx openssl' for the proxy tests"; \
	  fi; }

# The W3C Nu Html Checker for tests/web/test_html_validity.py: Java from Debian, and vnu-jar (pinned
# in package.json and package-lock.json) from npm into node_modules/, without the optional
# Lighthouse, which only `make lighthouse` needs.
VNU_JAR := node_modules/vnu-jar/build/dist/vnu.jar

validator: $(VNU_JAR)
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's default-jre-headless for the HTML checker"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	  else \
	    echo "Java is not installed: run 'sudo apt-get install default-jre-headless' for the HTML check"; \
	  fi; }

$(VNU_JAR): package.json package-lock.json | npm
	npm ci --omit=optional --no-audit --no-fund --loglevel=error
	touch $@

npm:
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's npm for the HTML checker and Lighthouse"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else \
	    echo "npm is not installed: run 'sudo apt-get install npm'"; exit 1; \
	  fi; }

test: lint browser redis validator nginx
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Not part of `make test`: about 15 minutes of load on both databases at two catalog sizes.
bench: install
	$(BIN)/python benchmarks/bench.py

# Not part of `make test`: Lighthouse's four scores for the public pages, phone and desktop, against
# gunicorn with DEBUG off (a few minutes); writes benchmarks/lighthouse.md, fails below 100.
lighthouse: install browser npm
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python benchmarks/lighthouse.py --out benchmarks/lighthouse.md

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 $(MO_FILES) node_modules
