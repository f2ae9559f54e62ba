# Proposal Tracker: one image for web (gunicorn), worker and beat (celery).
# Build: docker build -t proposal-tracker .   (docker-compose.yml builds it for you)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANG=C.UTF-8 \
    TRACKER_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/media \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

# An unprivileged user; the code stays owned by root (read-only for the app),
# only media/, var/ and /backups (the backup service's volume) are writable.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# pg_dump, pg_restore and psql for the backup service, of the same major version as the compose
# file's postgres:16 (pg_dump refuses a newer server; Debian's own client is another version), from
# the PostgreSQL project's apt repository that postgresql-common knows how to add.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes do not reinstall them. Every pin in
# requirements.txt ships a manylinux wheel for cp311 x86_64: no compiler needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image and served by whitenoise
# (CompressedManifestStaticFilesStorage when DEBUG is off). The SECRET_KEY here
# is a throwaway that exists only for this RUN step; no database is touched.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret DEBUG=0 \
    python manage.py collectstatic --noinput \
 && python -m compileall -q /app \
 && mkdir -p /app/media /app/var /backups \
 && chown app:app /app/media /app/var /backups

USER 10001:10001

EXPOSE 8000

# Gunicorn reads its options from GUNICORN_CMD_ARGS and its worker count from
# WEB_CONCURRENCY, so the compose file's web command (migrate, then gunicorn)
# shares them. 3 workers suit the 2-core machines this runs on; raise
# WEB_CONCURRENCY to about 2 x cores + 1 on a bigger host. No control socket:
# gunicorn 25+ would otherwise try to create one under $HOME (/app, read-only).
ENV GUNICORN_CMD_ARGS="--no-control-socket --timeout 60 --worker-tmp-dir /dev/shm --max-requests 1000 --max-requests-jitter 100 --access-logfile -"
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000"]
