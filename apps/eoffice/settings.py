"""Django settings, read from the site in use (see ``eoffice.sites``).

Everything that differs between installs lives in ``sites/<site>/site_config.json``; this file
holds only what is the same for every site. Without a site (before ``eoffice new-site``) the
settings still load, so that the command line can tell the user what to do.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from eoffice import sites

BENCH_DIR = sites.bench_dir()
APP_DIR = Path(__file__).resolve().parent

SITE_NAME = sites.current_site_name()
SITE_ERROR = None
SITE_CONFIG: dict = {}
if SITE_NAME:
    try:
        SITE_CONFIG = sites.load_site_config(SITE_NAME)
    except sites.SiteError as exc:  # reported by the CLI and by a system check
        SITE_ERROR = str(exc)
SITE_DIR = sites.site_path(SITE_NAME) if SITE_NAME else None

SECRET_KEY = SITE_CONFIG.get("secret_key") or "not-a-site-" + "x" * 40
DEBUG = bool(SITE_CONFIG.get("developer_mode")) or os.environ.get("EOFFICE_DEBUG") == "1"
ALLOWED_HOSTS = SITE_CONFIG.get("allowed_hosts", ["*"])
CSRF_TRUSTED_ORIGINS = SITE_CONFIG.get("csrf_trusted_origins", [])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_rq",
    "drf_spectacular_sidecar",
    "eoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eoffice.security.normalize.NfcInputMiddleware",  # NFD Vietnamese becomes NFC, once
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "eoffice.api.csrf.FrappeCsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eoffice.api.auth.TokenAuthenticationMiddleware",
    "eoffice.security.sessions.AbsoluteSessionLifetimeMiddleware",
    "eoffice.api.legacy.FrappeCommandMiddleware",  # Frappe's old POST / with cmd=…
    "eoffice.desk.middleware.DeskLanguageMiddleware",  # vi unless the person chose otherwise
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eoffice.audit.context.AuditContextMiddleware",  # who acts, for the audit log's signals
    "eoffice.security.headers.DatabaseUnavailableMiddleware",  # 503 with a message, then recover
]
# Outermost: CSP and other security headers on every response (eoffice.security.headers).
MIDDLEWARE.insert(1, "eoffice.security.headers.SecurityHeadersMiddleware")

ROOT_URLCONF = "eoffice.urls"
WSGI_APPLICATION = "eoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database(url: str) -> dict:
    """A Django DATABASES entry for a site's ``db_url`` (mysql:// or sqlite:///)."""
    db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.mysql":
        db["OPTIONS"] = {
            "charset": "utf8mb4",
            # The collation that folds accents and đ/d, so "dong du" finds "Đông Dư".
            "init_command": (
                "SET sql_mode='STRICT_TRANS_TABLES', collation_connection='utf8mb4_uca1400_ai_ci'"
            ),
            "isolation_level": "read committed",
        }
        db["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_uca1400_ai_ci"}
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead
            # of failing half-way; WAL lets readers go on while one writes.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return db


if SITE_CONFIG.get("db_url"):
    DATABASES = {"default": _database(SITE_CONFIG["db_url"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.dummy"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "eoffice.User"
AUTH_PASSWORD_VALIDATORS = [  # messages in Vietnamese (eoffice.security.passwords)
    {"NAME": "eoffice.security.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "eoffice.security.passwords.StrongPasswordValidator"},
    {"NAME": "eoffice.security.passwords.CommonPasswordValidator"},
]
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/app"
LOGOUT_REDIRECT_URL = "/login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [APP_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["eoffice.desk.formats"]  # dd/mm/yyyy in every language
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"]

STATIC_URL = "/assets/"
STATIC_ROOT = BENCH_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic in development

FILE_STORE = (SITE_DIR / SITE_CONFIG.get("file_store", "private/files")) if SITE_DIR else None
MAX_FILE_SIZE_MB = int(SITE_CONFIG.get("max_file_size_mb", 50))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "sid"  # Frappe's cookie name; clients look for it
SESSION_COOKIE_AGE = int(SITE_CONFIG.get("session_expiry_seconds", 8 * 3600))
SESSION_SAVE_EVERY_REQUEST = True  # the expiry counts from the last request (idle timeout)
# However active, a session ends this long after sign-in (eoffice.security.sessions).
SESSION_ABSOLUTE_SECONDS = int(SITE_CONFIG.get("session_absolute_seconds", 24 * 3600))
SESSION_COOKIE_SECURE = bool(SITE_CONFIG.get("https", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_HEADER_NAME = "HTTP_X_FRAPPE_CSRF_TOKEN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if SITE_CONFIG.get("https"):
    SECURE_HSTS_SECONDS = 31536000
    SECURE_SSL_REDIRECT = bool(SITE_CONFIG.get("ssl_redirect", False))

# Background jobs: one Redis per site; queue names carry the site name so that two sites
# sharing a Redis never run each other's jobs (see eoffice.jobs).
REDIS_URL = SITE_CONFIG.get("redis_url", sites.DEFAULT_REDIS_URL)
JOB_QUEUES = ("short", "default", "long", "ocr")
RQ_QUEUES = {
    f"{SITE_NAME or 'nosite'}.{q}": {
        "URL": REDIS_URL,
        "DEFAULT_TIMEOUT": 1800 if q in ("long", "ocr") else 300,
    }
    for q in JOB_QUEUES
}
# "inline" runs jobs in the web process after commit (embedded default without Redis).
JOBS_MODE = SITE_CONFIG.get("background_jobs", "rq")

EMAIL_BACKEND = SITE_CONFIG.get("email_backend", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = SITE_CONFIG.get("mail_server", "127.0.0.1")
EMAIL_PORT = int(SITE_CONFIG.get("mail_port", 25))
DEFAULT_FROM_EMAIL = SITE_CONFIG.get("auto_email_id", "eoffice@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"eoffice": {"level": os.environ.get("EOFFICE_LOG_LEVEL", "INFO")}},
}

from eoffice.desk.theme import UNFOLD  # noqa: E402,F401  (admin theme settings)
