"""Settings for Newsroom.

One module, configured by environment variables (see ``.env.example``). The defaults are
safe for a local machine: SQLite and files under ``var/``, a local-memory cache, DEBUG off
unless asked for. Production differs only by environment values.
"""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from csp.constants import UNSAFE_INLINE as CSP_UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

from newsroom import errortracking, logs

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # local database, uploads and collected static files live here

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The local fallback key only ever signs data on a developer's machine; production sets its own.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="local-only-insecure-key-set-DJANGO_SECRET_KEY-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.NewsroomAdminConfig",  # the stock admin on a site that requires the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use backup codes for a lost phone
    "axes",
    "csp",
    "simple_history",
    "newsroom",  # the project-wide machinery's own table (retirements the cache missed)
    "articles",
    "media",
    "interchange",
    "accounts",
    "audit",
    "jobs",
    "newsletters",
    "embeds",
    "django.forms",  # its widget templates, for the TemplatesSetting renderer below
]

MIDDLEWARE = [
    "newsroom.requestid.RequestIdMiddleware",  # first: every response and log line carries the request id
    "newsroom.health.HealthCheckMiddleware",  # next: load balancers probe by IP over plain HTTP
    # Above the page cache, so pages served from it are counted and timed too (newsroom/metrics.py).
    "newsroom.metrics.MetricsMiddleware",
    # Next, so a page served from the cache skips everything below (it was stored with their headers).
    "newsroom.pagecache.PageCacheMiddleware",
    # Inside the page cache, so a request whose connection died is run again before a stored copy is used.
    "newsroom.dbretry.RetryOnLostConnectionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "audit.context.RequestContextMiddleware",  # who and from where, for entries recorded inside workflows
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.publication",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Widgets render through the project's templates, so templates/ can override a widget's markup
# (the admin's date and time inputs get their own labels there).
FORM_RENDERER = "newsroom.formrendering.ProjectTemplates"

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
# Without health checks a persistent connection broken by a database restart fails one request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.str("DATABASE_REPLICA_URL", default=""):
    # A streaming replica of the same database: reader pages read from it when it is up to date
    # (newsroom/replicas.py); staff, writes and everything else use the primary.
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL") | {
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable server fails a connection in seconds rather than holding a worker (unless the URL says).
        _database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://newsroom")}
# Reader pages (views marked public_page) kept whole in the cache for anonymous readers (newsroom/pagecache.py).
NEWSROOM_PAGE_CACHE = env.bool("NEWSROOM_PAGE_CACHE", default=True)
# How long a cached page is served; a change to anything it shows (newsroom/cachetags.py) retires it sooner,
# so this only bounds how long an archive page nobody changes waits before it is rendered again.
NEWSROOM_PAGE_CACHE_TIMEOUT = env.int("NEWSROOM_PAGE_CACHE_TIMEOUT", default=3600)
# What proxies and CDNs are told: keep a page s-maxage seconds, then serve it stale while fetching a new one.
NEWSROOM_SHARED_MAX_AGE = env.int("NEWSROOM_SHARED_MAX_AGE", default=30)
NEWSROOM_STALE_WHILE_REVALIDATE = env.int("NEWSROOM_STALE_WHILE_REVALIDATE", default=30)
# Browsers revalidate every time (a 304 when nothing changed), so a correction shows on the next visit.
NEWSROOM_BROWSER_MAX_AGE = env.int("NEWSROOM_BROWSER_MAX_AGE", default=0)
# While the database cannot be reached, a stored page is served even if retired, up to this many seconds
# old (X-Page-Cache: stale); proxies and CDNs are told they may do the same (Cache-Control stale-if-error).
NEWSROOM_STALE_IF_ERROR = env.int("NEWSROOM_STALE_IF_ERROR", default=24 * 3600)
# Each process keeps the pages and pieces it read last from the shared cache, up to this many megabytes,
# so a hot page costs no round trip to Redis (each use still checks that nothing it shows has changed).
NEWSROOM_LOCAL_COPIES_MB = env.float("NEWSROOM_LOCAL_COPIES_MB", default=64)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A lost Redis must slow the site down, not take it down: errors become cache misses.
    CACHES["default"]["BACKEND"] = "newsroom.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": env.float("NEWSROOM_CACHE_TIMEOUT", default=0.25)}
        | {"socket_timeout": env.float("NEWSROOM_CACHE_TIMEOUT", default=0.25)}
    )
# How far apart the clocks of app servers sharing Redis may be: a page whose render began less than this
# before a change to something it shows, or less than this after it, is served but not stored (it may
# have read the old rows). Servers kept in step by NTP are milliseconds apart. The allowance has a price:
# for that long after a change, every reader of a page showing it pays for a render (after a publish,
# the home page's readers), so it is kept small.
NEWSROOM_CACHE_CLOCK_SKEW = env.float("NEWSROOM_CACHE_CLOCK_SKEW", default=0.1)
# Public responses name the objects they show in Surrogate-Key; also send them as Cache-Tag (Cloudflare).
NEWSROOM_CACHE_TAG_HEADER = env.bool("NEWSROOM_CACHE_TAG_HEADER", default=False)
# Purging by tag at a cache in front of the site after a public change (newsroom/purge.py); off when empty.
NEWSROOM_PURGE_URL = env.str("NEWSROOM_PURGE_URL", default="")
NEWSROOM_PURGE_STYLE = env.str("NEWSROOM_PURGE_STYLE", default="xkey")
NEWSROOM_PURGE_METHOD = env.str("NEWSROOM_PURGE_METHOD", default="PURGE")  # xkey only
NEWSROOM_PURGE_TOKEN = env.str("NEWSROOM_PURGE_TOKEN", default="")
NEWSROOM_PURGE_SOFT = env.bool("NEWSROOM_PURGE_SOFT", default=False)
NEWSROOM_PURGE_TIMEOUT = env.float("NEWSROOM_PURGE_TIMEOUT", default=2.0)
if NEWSROOM_PURGE_URL and (
    NEWSROOM_PURGE_STYLE not in ("xkey", "fastly", "cloudflare")
    or not NEWSROOM_PURGE_URL.startswith(("http://", "https://"))
):
    raise ImproperlyConfigured(
        'NEWSROOM_PURGE_URL must be an http(s) URL and NEWSROOM_PURGE_STYLE "xkey", "fastly" or "cloudflare".'
    )


def _redis_beside(cache_url: str) -> str:
    """The database after the cache's own on the cache's Redis server (a cache clear empties only its own)."""
    parts = urlsplit(cache_url)
    if parts.scheme not in ("redis", "rediss") or "," in parts.netloc:
        return ""
    number = parts.path.strip("/")
    number = int(number) if number.isdigit() else 0
    return urlunsplit(parts._replace(path=f"/{number + 1 if number < 15 else number - 1}"))


# The job queue (newsroom/celery.py): slow work goes to a worker (`make worker`) through Redis. The broker
# defaults to the cache's Redis server when the cache is Redis. With no broker, jobs run eagerly: at once,
# in the process that asks for them (`make run` without Redis works as before, only slower to save).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_redis_beside(env.str("CACHE_URL", default="")))
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
# Run eagerly, a job is retried and its failure recorded as in a worker; enqueue() then raises its error.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True  # a job is taken off the queue once done, so a lost worker's job runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # jobs are long: a worker takes one at a time
CELERY_TASK_IGNORE_RESULT = True  # tasks write their results to the database; no result backend
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job not acknowledged within this many seconds (its worker vanished) is given to another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs like the site (LOGGING below)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# What the scheduler (`celery beat`, started by `make worker`) queues, and how often (seconds).
CELERY_BEAT_SCHEDULE = {
    "make-missing-renditions": {"task": "media.tasks.render_missing", "schedule": 15 * 60},
    "prune-job-failures": {"task": "jobs.tasks.prune_failures", "schedule": 24 * 3600},
    "send-due-newsletters": {"task": "newsletters.tasks.send_due_issues", "schedule": 60},
    "prune-unconfirmed-subscribers": {"task": "newsletters.tasks.prune_unconfirmed", "schedule": 24 * 3600},
    "fetch-waiting-embeds": {"task": "embeds.tasks.fetch_waiting", "schedule": 15 * 60},
}
# A failing job is tried again this many times, with growing pauses, before it is recorded as failed
# for good (jobs/, Site > Job failures in the admin); failures are kept this many days.
NEWSROOM_JOB_MAX_RETRIES = env.int("NEWSROOM_JOB_MAX_RETRIES", default=5)
NEWSROOM_JOB_FAILURE_RETENTION_DAYS = env.int("NEWSROOM_JOB_FAILURE_RETENTION_DAYS", default=30)


# Outgoing mail, from EMAIL_URL in django-environ's form: smtp://user:password@host:587 (smtp+tls:// for
# STARTTLS, smtps:// for TLS from the start), consolemail:// prints messages, locmemmail:// keeps them.
# Without one, messages are printed to standard error (nothing leaves a developer's machine).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Newsroom <newsletters@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Newsletters and breaking-news alerts (newsletters/). Sending is done by the worker, this many
# subscribers per job; a confirmation link works this many days; an issue may carry a 1x1 open-counting
# picture only when the publication switches it on here.
NEWSROOM_NEWSLETTER_BATCH = env.int("NEWSROOM_NEWSLETTER_BATCH", default=500)
NEWSROOM_NEWSLETTER_CONFIRM_DAYS = env.int("NEWSROOM_NEWSLETTER_CONFIRM_DAYS", default=7)
NEWSROOM_NEWSLETTER_TRACKING = env.bool("NEWSROOM_NEWSLETTER_TRACKING", default=False)
# A subscription never confirmed is deleted after this many days; the bounce and complaint endpoint
# (POST /newsletters/bounces/) answers only to "Authorization: Bearer <token>", and is off when empty.
NEWSROOM_NEWSLETTER_UNCONFIRMED_DAYS = env.int("NEWSROOM_NEWSLETTER_UNCONFIRMED_DAYS", default=30)
# Which reader was sent an issue (and, with tracking on, opened it) is forgotten this many days after it went.
NEWSROOM_NEWSLETTER_DELIVERY_DAYS = env.int("NEWSROOM_NEWSLETTER_DELIVERY_DAYS", default=90)
NEWSROOM_NEWSLETTER_BOUNCE_TOKEN = env.str("NEWSROOM_NEWSLETTER_BOUNCE_TOKEN", default="")
# Web Push (breaking-news alerts in the browser): the VAPID key pair (`vapid --gen`, or any P-256 key;
# the private key as base64url or PEM, the public key as base64url) and a contact address. Off when empty.
NEWSROOM_VAPID_PUBLIC_KEY = env.str("NEWSROOM_VAPID_PUBLIC_KEY", default="")
NEWSROOM_VAPID_PRIVATE_KEY = env.str("NEWSROOM_VAPID_PRIVATE_KEY", default="")
NEWSROOM_VAPID_CONTACT = env.str("NEWSROOM_VAPID_CONTACT", default="mailto:newsroom@localhost")
# The push services browsers use: a browser's subscription at any other address is refused.
NEWSROOM_PUSH_SERVICES = env.list(
    "NEWSROOM_PUSH_SERVICES",
    default=[
        "https://fcm.googleapis.com",
        "https://updates.push.services.mozilla.com",
        "https://web.push.apple.com",
        "https://*.notify.windows.com",
    ],
)


AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-za")
TIME_ZONE = env.str("TIME_ZONE", default="Africa/Johannesburg")
USE_I18N = True
USE_TZ = True

STATIC_URL = env.str("STATIC_URL", default="/static/")
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
Path(STATIC_ROOT).mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media: local files by default; S3-compatible object storage shared by several app servers
# when NEWSROOM_MEDIA_STORAGE=s3. Objects must be publicly readable (bucket policy or a CDN in front).
MEDIA_STORAGE = env.str("NEWSROOM_MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default=None),
            "url_protocol": env.str("AWS_S3_URL_PROTOCOL", default="https:"),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=None),
            "default_acl": env.str("AWS_DEFAULT_ACL", default=None),
            "querystring_auth": False,  # public pictures: stable URLs a CDN can cache
            "file_overwrite": False,
            # Stored names are never reused for different content, so browsers may keep them for a year.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured('NEWSROOM_MEDIA_STORAGE must be "local" or "s3".')

# Picture uploads (media/processing.py): larger files, pixel counts or animations are refused.
NEWSROOM_IMAGE_MAX_BYTES = env.int("NEWSROOM_IMAGE_MAX_MB", default=25) * 1024 * 1024
NEWSROOM_IMAGE_MAX_PIXELS = env.int("NEWSROOM_IMAGE_MAX_PIXELS", default=50_000_000)
NEWSROOM_IMAGE_MAX_FRAMES = env.int("NEWSROOM_IMAGE_MAX_FRAMES", default=200)

# The story editor's own extensions (static/js/editor-newsroom.js): quotes marked in the text, and
# pictures uploaded and placed from the editor. Each says what markup it adds to the body's allowlist.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor-newsroom.js")],
        "extensions": {
            "QuoteMark": html_tags(["span"], {"span": ["data-quote"]}),
            "PlacePicture": html_tags([]),
            # An embed: <figure class="embed"> with a link and a caption (embeds/markup.py).
            "EmbedBlock": html_tags(["figure", "a", "figcaption"], {"figure": ["class"], "a": ["href"]}),
        },
    }
]

# Embeds (embeds/): the services a reporter may embed from (keys of embeds/providers.py), how long the
# save-time oEmbed request may take, Meta's access token (Instagram and Facebook answer only with one),
# and, for tests, an origin standing in for every provider's endpoint.
NEWSROOM_EMBED_PROVIDERS = env.list(
    "NEWSROOM_EMBED_PROVIDERS",
    default=[
        "youtube",
        "vimeo",
        "x",
        "instagram",
        "tiktok",
        "facebook",
        "soundcloud",
        "spotify",
        "googlemaps",
        "documentcloud",
    ],
)
NEWSROOM_EMBED_TIMEOUT = env.float("NEWSROOM_EMBED_TIMEOUT", default=5.0)
NEWSROOM_EMBED_META_TOKEN = env.str("NEWSROOM_EMBED_META_TOKEN", default="")
NEWSROOM_EMBED_ENDPOINT_ORIGIN = env.str("NEWSROOM_EMBED_ENDPOINT_ORIGIN", default="")

TAGGIT_CASE_INSENSITIVE = True
NEWSROOM_MAX_TAGS_PER_STORY = env.int("NEWSROOM_MAX_TAGS_PER_STORY", default=12)

# Interchange: imports of wire copy and the read-only ninjs API.
NEWSROOM_IMPORT_MAX_BYTES = env.int("NEWSROOM_IMPORT_MAX_BYTES", default=5_000_000)
# Content archives (load_content): a zip holding more files, more bytes once unpacked, or a member that
# unpacks to more than this many times its packed size is refused before anything is read from it.
NEWSROOM_ARCHIVE_MAX_MEMBERS = env.int("NEWSROOM_ARCHIVE_MAX_MEMBERS", default=100_000)
NEWSROOM_ARCHIVE_MAX_BYTES = env.int("NEWSROOM_ARCHIVE_MAX_MB", default=20_000) * 1024 * 1024
NEWSROOM_ARCHIVE_MAX_RATIO = env.int("NEWSROOM_ARCHIVE_MAX_RATIO", default=200)
# Archives exported from the admin (interchange/exports.py): a private folder, never served by a web server.
NEWSROOM_EXPORT_DIR = env.path("NEWSROOM_EXPORT_DIR", default=VAR_DIR / "exports")
# An upload of more files than this is imported by the worker (interchange/batches.py); its files wait in
# a private folder until then.
NEWSROOM_IMPORT_QUEUE_FILES = env.int("NEWSROOM_IMPORT_QUEUE_FILES", default=5)
NEWSROOM_IMPORT_QUEUE_DIR = env.path("NEWSROOM_IMPORT_QUEUE_DIR", default=VAR_DIR / "imports")
# Origins allowed to read the API from a browser ("*" for any); empty sends no CORS headers.
NEWSROOM_API_CORS_ORIGINS = env.list("NEWSROOM_API_CORS_ORIGINS", default=[])
# How long browsers (max-age) and CDNs (s-maxage) may reuse an API response.
NEWSROOM_API_MAX_AGE = env.int("NEWSROOM_API_MAX_AGE", default=60)
NEWSROOM_API_SHARED_MAX_AGE = env.int("NEWSROOM_API_SHARED_MAX_AGE", default=300)
# The publishing checklist: headlines and standfirsts longer than these are cut off in search results
# and social cards. Stories in these sections are opinion and must be labelled as commentary.
NEWSROOM_HEADLINE_MAX_CHARS = env.int("NEWSROOM_HEADLINE_MAX_CHARS", default=100)
NEWSROOM_STANDFIRST_MAX_CHARS = env.int("NEWSROOM_STANDFIRST_MAX_CHARS", default=200)
NEWSROOM_OPINION_SECTIONS = env.list("NEWSROOM_OPINION_SECTIONS", default=["opinion", "commentary", "columns"])
# Share links for previews of unpublished stories expire after this many hours.
NEWSROOM_PREVIEW_LINK_HOURS = env.int("NEWSROOM_PREVIEW_LINK_HOURS", default=72)
# The story form saves unsaved work in the background this often (seconds).
NEWSROOM_AUTOSAVE_SECONDS = env.int("NEWSROOM_AUTOSAVE_SECONDS", default=30)
# A live blog's page asks for new entries this often (seconds); the answer is a cached page.
NEWSROOM_LIVE_POLL_SECONDS = env.int("NEWSROOM_LIVE_POLL_SECONDS", default=30)

# Logs go to standard error: one JSON object per line by default, readable text with DEBUG on
# (newsroom/logs.py). Every line carries the id of the request it was written for (newsroom/requestid.py).
NEWSROOM_LOG_FORMAT = env.str("NEWSROOM_LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = logs.config(NEWSROOM_LOG_FORMAT, env.str("DJANGO_LOG_LEVEL", default="WARNING"))

# Error reports to Sentry, only when a DSN is set (newsroom/errortracking.py); nothing is sent otherwise.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
errortracking.configure(
    SENTRY_DSN,
    environment=env.str("SENTRY_ENVIRONMENT", default=""),
    release=env.str("SENTRY_RELEASE", default=""),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)

# Prometheus metrics at /metrics (newsroom/metrics.py): for a bearer token, or for requests straight
# from these networks (never for requests relayed by a proxy).
NEWSROOM_METRICS_TOKEN = env.str("NEWSROOM_METRICS_TOKEN", default="")
NEWSROOM_METRICS_NETWORKS = env.list("NEWSROOM_METRICS_NETWORKS", default=["127.0.0.0/8", "::1/128"])

# --- Security -------------------------------------------------------------------------------------
# Production sets DJANGO_HTTPS=true; each setting below can still be overridden on its own.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 60 * 60)  # one working day

# Reverse proxies in front of the site (load balancer, nginx). With N trusted proxies the client's
# address is the N-th from the right in X-Forwarded-For, and the scheme comes from X-Forwarded-Proto.
# Zero means requests arrive directly and the forwarding headers are ignored (anyone can send them).
# The nearest proxy connects from one of NEWSROOM_TRUSTED_PROXIES (addresses or networks, "*" for any);
# a request from elsewhere has its X-Forwarded-For ignored. gunicorn.conf.py gives gunicorn the same list.
NEWSROOM_TRUSTED_PROXY_COUNT = env.int("NEWSROOM_TRUSTED_PROXY_COUNT", default=0)
NEWSROOM_TRUSTED_PROXIES = env.list("NEWSROOM_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
if NEWSROOM_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("NEWSROOM_TRUSTED_PROXY_COUNT must be 0 or more.")
for _proxy in NEWSROOM_TRUSTED_PROXIES:
    if _proxy != "*":
        try:
            ipaddress.ip_network(_proxy)  # strict, as gunicorn is: 10.0.0.1/8 is a mistake for 10.0.0.0/8
        except ValueError as _error:
            raise ImproperlyConfigured(f"NEWSROOM_TRUSTED_PROXIES: {_error}") from None
if NEWSROOM_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Request limits: anything larger is refused with the 400 page before a view runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", default=2000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FILES", default=20)

# Content-Security-Policy (django-csp). Public pages: only our own scripts, or inline ones carrying
# the request's nonce. The admin gets NEWSROOM_ADMIN_CSP (see newsroom/middleware.py).
_CSP_EXTRA_IMG = env.list("NEWSROOM_CSP_IMG_SRC", default=[])  # e.g. the media bucket's origin
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:", *_CSP_EXTRA_IMG],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
        "upgrade-insecure-requests": HTTPS,
    },
}
# The admin's editor (ProseMirror) injects <style> elements and sets style attributes, so styles are
# relaxed there; scripts stay 'self' plus the nonce that the import map carries.
NEWSROOM_ADMIN_CSP = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "style-src": [CSP_SELF, CSP_UNSAFE_INLINE],
    "img-src": [CSP_SELF, "data:", "blob:", *_CSP_EXTRA_IMG],
    "font-src": [CSP_SELF, "data:"],
}

# Login protection (django-axes): a user and address pair is locked after repeated failures, for
# a cool-off period. Keyed on the pair so an attacker elsewhere cannot lock a reporter out.
AXES_FAILURE_LIMIT = env.int("NEWSROOM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("NEWSROOM_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

# Throttles (newsroom/throttles.py, django-ratelimit): how often one client address, or one account,
# may ask. Each is one or more rates "N/period" (period s, m, h or d, optionally with a number: 5/15m),
# comma separated; the strictest one reached decides. Empty switches a throttle off. Counted in the
# default cache, so with Redis every app server counts together. Sign-in and the one-time code count
# failures only, so an office of colleagues behind one address can all sign in.
RATELIMIT_IP_META_KEY = "newsroom.client_ip.client_ip"  # the address behind the trusted proxies
RATELIMIT_FAIL_OPEN = True  # a cache that cannot count lets requests through rather than refusing all
NEWSROOM_THROTTLE_LOGIN_ADDRESS = env.str("NEWSROOM_THROTTLE_LOGIN_ADDRESS", default="10/m,40/h")
NEWSROOM_THROTTLE_LOGIN_ACCOUNT = env.str("NEWSROOM_THROTTLE_LOGIN_ACCOUNT", default="20/h")
NEWSROOM_THROTTLE_CODE_ADDRESS = env.str("NEWSROOM_THROTTLE_CODE_ADDRESS", default="10/m,30/h")
NEWSROOM_THROTTLE_CODE_ACCOUNT = env.str("NEWSROOM_THROTTLE_CODE_ACCOUNT", default="5/m,20/h")
NEWSROOM_THROTTLE_SEARCH = env.str("NEWSROOM_THROTTLE_SEARCH", default="30/m")
NEWSROOM_THROTTLE_FEEDS = env.str("NEWSROOM_THROTTLE_FEEDS", default="60/m")
NEWSROOM_THROTTLE_API = env.str("NEWSROOM_THROTTLE_API", default="120/m")
NEWSROOM_THROTTLE_READS = env.str("NEWSROOM_THROTTLE_READS", default="60/m")
NEWSROOM_THROTTLE_SUBSCRIBE = env.str("NEWSROOM_THROTTLE_SUBSCRIBE", default="5/m,20/h")
for _name, _value in list(globals().items()):
    if _name.startswith("NEWSROOM_THROTTLE_") and not all(
        re.fullmatch(r"[1-9]\d*/\d*[smhd]", rate.strip()) for rate in _value.split(",") if rate.strip()
    ):
        raise ImproperlyConfigured(f'{_name} must be rates like "10/m" or "10/m,40/h", or empty; not "{_value}".')

# Two-factor authentication (django-otp, TOTP). Required for every staff account except reporters,
# for whom it is optional unless this is set.
NEWSROOM_OTP_REQUIRED_FOR_REPORTERS = env.bool("NEWSROOM_OTP_REQUIRED_FOR_REPORTERS", default=False)
OTP_TOTP_ISSUER = env.str("NEWSROOM_OTP_ISSUER", default="Newsroom")
# Authenticator keys and backup codes are shown to their owner once, at enrolment; never in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How many single-use backup codes a user gets at enrolment and each time they ask for new ones.
NEWSROOM_BACKUP_CODE_COUNT = env.int("NEWSROOM_BACKUP_CODE_COUNT", default=10)

# The audit log (audit/) keeps entries this many days; `manage.py prune_audit_log` deletes older ones.
NEWSROOM_AUDIT_RETENTION_DAYS = env.int("NEWSROOM_AUDIT_RETENTION_DAYS", default=400)

# Route the fixed 30 KB page that "make bench" measures as Django's ceiling. Off everywhere else.
NEWSROOM_BENCH_BASELINE = env.bool("NEWSROOM_BENCH_BASELINE", default=False)

# Serve uploaded files from MEDIA_ROOT through Django: right for one local machine, off in production.
SERVE_MEDIA = env.bool("NEWSROOM_SERVE_MEDIA", default=MEDIA_STORAGE == "local")
