FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=safeguarding.settings \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app
# Pango for WeasyPrint (letters and packs as PDF); Liberation Sans has Arial's metrics.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN VAR_DIR=/tmp/build SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --home /app safeguarding && mkdir -p /var/lib/safeguarding \
    && chown safeguarding /var/lib/safeguarding
USER safeguarding
EXPOSE 8000
