# One image for web, worker and beat; the command differs per service in docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var

# gettext compiles the catalogues; libpq is not needed (psycopg2-binary bundles it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Build-time only values: collectstatic and compilemessages need settings, not secrets.
RUN SECRET_KEY=build-only DEBUG=false DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py compilemessages --ignore=var -v0 \
 && SECRET_KEY=build-only DEBUG=false DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py collectstatic --noinput -v0 \
 && useradd --system --uid 10001 --home /app kezdesu \
 && mkdir -p /app/var/media \
 && chown -R kezdesu /app/var

USER kezdesu
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
