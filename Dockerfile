# The application image: web (gunicorn), Celery worker and beat, and the migrate job all
# run it with different commands (docker-compose.yml).
#
# BASE_IMAGE is any Debian bookworm-or-later image with Python 3.11: the official
# python:3.11-slim for real deployments; the compose smoke test passes an image made from
# Debian's packages alone (.ci/docker-base-image), which already has the system libraries
# below, so its build needs no apt mirror.
ARG BASE_IMAGE=python:3.11-slim

# --- Python dependencies, in a stage of their own: nothing pip leaves behind (caches,
# build tools, a local wheel folder) reaches the final image.
FROM ${BASE_IMAGE} AS dependencies
# PIP_OFFLINE=1: install only from the wheels in var/docker-wheels/ (a folder git ignores,
# filled by `pip download -r requirements.txt`), for builds that cannot reach the index
# themselves, as in the compose smoke test. Without it pip uses the index as usual.
ARG PIP_OFFLINE=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# The [s] makes the wheel folder optional: COPY needs one source to exist, not each.
COPY requirements.txt var/docker-wheel[s] /build/
RUN python3.11 -m venv /opt/venv \
    && if [ -n "$PIP_OFFLINE" ]; then set -- --no-index --find-links /build; else set --; fi \
    && /opt/venv/bin/pip install --quiet "$@" -r /build/requirements.txt

# --- The image that runs.
FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=safeguarding.settings \
    STATIC_ROOT=/app/staticfiles VAR_DIR=/var/lib/safeguarding \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# What the app needs from the system: libpq and pg_dump/pg_restore (manage.py backup and
# restore), Pango for WeasyPrint's PDFs, and a font. Installed only where the base lacks them.
RUN if ! command -v pg_dump >/dev/null || ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
         || ! ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
         || [ ! -d /usr/share/fonts/truetype/liberation ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
         postgresql-client libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
      && rm -rf /var/lib/apt/lists/*; \
    fi
COPY --from=dependencies /opt/venv /opt/venv
WORKDIR /app
COPY . .
# Static files are collected (and compressed, with their manifest) into the image. The
# settings module wants a secret key to load: a throwaway one, in this RUN's environment
# only, never an image's ENV; the var/ folder it writes into is thrown away with it.
RUN VAR_DIR=/tmp/build SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build \
    && python -m compileall -q safeguarding cases custody referrals interventions dashboards api \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin safeguarding \
    && install -d -o safeguarding -g safeguarding -m 0700 /var/lib/safeguarding
# The service never runs as root, and cannot write to its own code.
USER safeguarding:safeguarding
EXPOSE 8000
CMD ["gunicorn", "safeguarding.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--no-control-socket"]
