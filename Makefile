# Proposal Tracker: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

# Test services: the local PostgreSQL and Redis unless overridden.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Production settings (DEBUG off) for tests and benchmarks, minus HTTPS redirects and the static manifest.
PROD_LIKE := DEBUG=0 SECRET_KEY=test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz \
	SECURE_SSL_REDIRECT=0 STATIC_MANIFEST=0

.PHONY: run test lint venv check-services migrate demo

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

run: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_seed_letters
	DEBUG=1 $(PY) manage.py create_demo_accounts
	DEBUG=1 $(PY) bin/run_dev.py

# In parallel (pytest-xdist, TEST_WORKERS processes, each with its own test database, Redis
# database and var/ folder: tests/parallel.py), reusing the test databases where that is safe;
# the 25 slowest tests are listed at the end. The fault tests (chaos) run after, alone: they kill
# and time real workers, and a machine busy with the rest of the suite makes their timing flaky.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadgroup --reuse-db --durations=25
TEST_ENV := $(PROD_LIKE) DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL)

test: venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bin/check_services.py
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_PARALLEL) -m "not chaos" $(PYTEST_ARGS)
	$(if $(PYTEST_ARGS),,$(TEST_ENV) $(PY) -m pytest -n 0 --reuse-db -m chaos --durations=5 tests/notifications/test_chaos.py)
	$(if $(PYTEST_ARGS),,$(MAKE) test-sqlite)

# The embedded default (SQLite, no DATABASE_URL) fails where PostgreSQL does not (integer overflow):
# the API's fuzzing and the bad-input tests run on it too. The schemathesis run's two halves come first, one
# to each worker (--dist loadgroup hands out single tests in the order they are collected).
.PHONY: test-sqlite
test-sqlite: venv
	$(PROD_LIKE) DATABASE_URL= REDIS_URL= CACHE_URL= TRACKER_VAR_DIR=$(abspath var/test-sqlite) $(PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadgroup --durations=5 \
	  tests/api/test_schemathesis_api.py tests/api/test_hostile_queries_api.py tests/tracker/test_bad_input.py \
	  tests/tracker/test_hostile_files.py tests/reports/test_exports_inert.py tests/supervision \
	  tests/submissions

# Style (ruff) and the floors between the apps (import-linter; contracts in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache

# --- notifications: the five faults with real Redis, workers and SMTP, and the sweep benchmark.
# Each has its own database so it never collides with `make test`; `chaos` starts its own throwaway
# redis-server and SMTP server (TEST_REDIS_URL is only checked, as `make test` does).
CHAOS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_chaos
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench
CHAOS_REPORT ?= var/chaos-report.jsonl

.PHONY: chaos bench-sweep

chaos: venv
	DATABASE_URL=$(CHAOS_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bin/check_services.py
	mkdir -p $(dir $(CHAOS_REPORT)) && rm -f $(CHAOS_REPORT)
	$(PROD_LIKE) DATABASE_URL=$(CHAOS_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CHAOS_REPORT=$(abspath $(CHAOS_REPORT)) \
	  $(PY) -m pytest tests/notifications/test_chaos.py -m chaos -q -p no:cacheprovider
	$(PY) -m tests.chaos report $(CHAOS_REPORT)

bench-sweep: venv
	$(PROD_LIKE) DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/sweep.py

# --- members' API: GET /api/v1/proposals/ at 100,000 proposals against a plain-JSON baseline.
# Its own database, built once with bulk_create and reused; the last line printed is `api ratio R`.
BENCH_API_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench_api

.PHONY: bench-api

bench-api: venv
	$(PROD_LIKE) ALLOWED_HOSTS=testserver DATABASE_URL=$(BENCH_API_DATABASE_URL) LOG_LEVEL=WARNING $(PY) bench/api.py

# --- letters: the parser on the 87 real published letters in tests/letters/real/ (per-field accuracy, misses, fields filled wrong).
.PHONY: letters-score

letters-score: venv
	$(PY) -m letters.scoring tests/letters/real

# --- reports: the figures of one meeting per agency and role at national scale (10 meetings of
# 10,000 proposals, 250 agencies) against hand-written SQL GROUP BY; built once and reused.
# The last line printed is `stats ratio R`.
BENCH_STATS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_reports_bench

.PHONY: bench-stats

bench-stats: venv
	$(PROD_LIKE) DATABASE_URL=$(BENCH_STATS_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) LOG_LEVEL=WARNING $(PY) bench/stats.py

# --- backups: one dated archive (database + media + manifest) under var/backups/ or BACKUP_DIR, and
# its restore into an empty database and media folder (REPLACE=1 overwrites existing data). The same
# DATABASE_URL / MEDIA_ROOT as the service: SQLite under var/ when DATABASE_URL is unset.
.PHONY: backup restore

backup: venv
	$(PY) manage.py backup $(if $(PRUNE),--prune)

restore: venv
	@test -n "$(ARCHIVE)" || { echo "用法 / usage: make restore ARCHIVE=var/backups/tracker-YYYYMMDD-HHMMSS.tar [REPLACE=1]"; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)" $(if $(REPLACE),--replace)

# Archive size and backup/restore times: the demo data on SQLite and PostgreSQL, then 100,000
# proposals (bench/api.py's data). Its own databases (named after BENCH_BACKUPS_DATABASE_URL), dropped after.
BENCH_BACKUPS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench_backups

.PHONY: bench-backups

bench-backups: venv
	DATABASE_URL=$(BENCH_BACKUPS_DATABASE_URL) $(PY) bench/backups.py

# --- intake: import, batch 交办 and similar titles at national scale (issue #12). Its own database,
# rebuilt each run; the last line is `intake: import ratio R1, assign ratio R2, similar recall X, speedup Y`.
BENCH_INTAKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_intake_bench

.PHONY: bench-intake

bench-intake: venv
	$(PROD_LIKE) DATABASE_URL=$(BENCH_INTAKE_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) LOG_LEVEL=WARNING $(PY) bench/intake.py

# Similar titles against a reader's judgement (tests/intake/judged_titles*.json) and suggested
# leads on the real letters: no database.
.PHONY: bench-similar-judged

bench-similar-judged: venv
	$(PROD_LIKE) DATABASE_URL= REDIS_URL= CACHE_URL= $(PY) bench/similar_judged.py

# Suggested lead agencies on the real letters (tests/letters/real), leave one out, agency kind as
# label: top-1 and top-3 on a fixed tuning part and on the held-out part (printed last). No database.
.PHONY: bench-suggest

bench-suggest: venv
	$(PROD_LIKE) DATABASE_URL= REDIS_URL= CACHE_URL= $(PY) bench/suggest_letters.py

# --- the production stack without Docker: what docker-compose.yml starts (read from it by
# bin/stack.py), on the local PostgreSQL and Redis; `make stack-stop` stops it.
STACK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_stack
STACK_REDIS_URL ?= $(TEST_REDIS_URL)
STACK_PORT ?= 8765
STACK_ENV := STACK_DATABASE_URL=$(STACK_DATABASE_URL) STACK_REDIS_URL=$(STACK_REDIS_URL) STACK_PORT=$(STACK_PORT)

.PHONY: stack stack-stop bench-load

stack: venv
	DATABASE_URL=$(STACK_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) $(PY) bin/check_services.py
	$(STACK_ENV) $(PY) bin/stack.py start

stack-stop:
	$(STACK_ENV) $(PY) bin/stack.py stop

# 50 users for 60 s against the stack (started and stopped here), then the bare-view baseline.
# On the national office of bench-pages (build it with `make bench-pages` first); LOAD_DATABASE_URL=
# $(STACK_DATABASE_URL) runs on the small seeded office instead. LOAD_RATE: tasks a second in all.
LOAD_DATABASE_URL ?= $(BENCH_PAGES_FULL_URL)

bench-load: venv
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(STACK_REDIS_URL) $(PY) bin/check_services.py
	STACK_DATABASE_URL=$(LOAD_DATABASE_URL) STACK_REDIS_URL=$(STACK_REDIS_URL) STACK_PORT=$(STACK_PORT) $(PY) bench/load.py

# --- pages: every page each role opens daily, at five years of a national office (46,000 proposals,
# about a million notifications) and at 1% of it, in one process; databases built once and reused.
# The last line is `pages: N pages, worst scale ratio R (page), queries constant: yes|no`.
BENCH_PAGES_FULL_URL ?= postgres://postgres@127.0.0.1:5432/tracker_pages_full
BENCH_PAGES_SMALL_URL ?= postgres://postgres@127.0.0.1:5432/tracker_pages_small

.PHONY: bench-pages

bench-pages: venv
	$(PROD_LIKE) ALLOWED_HOSTS=testserver LOG_LEVEL=WARNING REDIS_URL=$(TEST_REDIS_URL) \
	  BENCH_PAGES_FULL_URL=$(BENCH_PAGES_FULL_URL) BENCH_PAGES_SMALL_URL=$(BENCH_PAGES_SMALL_URL) $(PY) bench/pages.py
