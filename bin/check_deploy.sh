#!/usr/bin/env bash
# Django's deployment checklist under a production-like environment.
# Exits non-zero on any warning (or error). Needs no database connection:
# `check --deploy` only connects when --database is given.
#
#   bash bin/check_deploy.sh            # uses .venv/bin/python (make venv creates it)
#   PYTHON=python3 bash bin/check_deploy.sh
set -euo pipefail

cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "check_deploy: $PYTHON not found; run 'make venv' first. / 找不到 $PYTHON，请先运行 make venv。" >&2
    exit 2
fi

# A fresh random key each run: long, varied, never stored anywhere.
secret_key="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')"

# A clean environment, so a developer's exported DEBUG=1 or SECURE_SSL_REDIRECT=0
# cannot make the check pass or fail by accident. Only what production sets.
exec env -i \
    PATH="$PATH" \
    HOME="${HOME:-/tmp}" \
    LANG=C.UTF-8 \
    DJANGO_SETTINGS_MODULE=tracker.settings \
    DEBUG=0 \
    SECRET_KEY="$secret_key" \
    ALLOWED_HOSTS=tracker.example.org \
    CSRF_TRUSTED_ORIGINS=https://tracker.example.org \
    SITE_URL=https://tracker.example.org \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    EMAIL_HOST=smtp.example.org \
    EMAIL_PORT=587 \
    EMAIL_USE_TLS=1 \
    DEFAULT_FROM_EMAIL="提案办理追踪 <noreply@tracker.example.org>" \
    "$PYTHON" manage.py check --deploy --fail-level WARNING
