# Newsroom's application image: gunicorn serving the Django application on port 8000.
#   docker build -t newsroom .        (compose.yaml builds it for the whole stack: docker compose up)
# Configured entirely by environment variables (.env.example); database migrations run in their own
# container (compose.yaml's "migrate"), never on every start of an app server.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The service account: the application never runs as root.
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom

WORKDIR /app

# Exact versions from the lock file; every dependency ships a wheel for this platform, so no compiler.
COPY requirements.txt requirements.lock ./
RUN pip install --no-deps -r requirements.lock && pip check

# The code belongs to root: the service account can read it but not change it.
COPY . .

# Static files collected into the image, compressed and named by content (WhiteNoise serves them);
# /srv/static is where compose.yaml shares them with nginx; /srv/jobs holds the exports and waiting
# imports that the app and the worker share.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /srv/static /srv/jobs var/media \
    && chown -R newsroom:newsroom var /srv/static /srv/jobs

USER newsroom:newsroom

EXPOSE 8000
# Liveness only: a database outage makes the server unready (/health/ready/), not a container to restart.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/live/', timeout=4)"]

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "newsroom.wsgi"]
