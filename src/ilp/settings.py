"""ILP's one settings module, driven by environment variables.

DATABASE_URL   database (default: SQLite file ilp.sqlite3 in the working directory)
ILP_SECRET_KEY secret key (required when ILP_DEBUG is false)
ILP_DEBUG      debug mode (default: true for the embedded demo setup)
ILP_ALLOWED_HOSTS  comma-separated host names
ILP_TIME_ZONE  the district's time zone (default Asia/Makassar, WITA: Kota Mataram)
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from ilp.core.env import env_bool, env_int, env_str

PACKAGE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("ILP_DEBUG", True)
_DEV_KEY = "ilp-dev-only-not-secret"  # noqa: S105 - used only when ILP_DEBUG is true
SECRET_KEY = env_str("ILP_SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("ILP_SECRET_KEY must be set when ILP_DEBUG is false")

ALLOWED_HOSTS = [h for h in env_str("ILP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
ALLOWED_HOSTS.append("testserver")

SIMPLE_HISTORY_REVERT_DISABLED = True  # an admin edit is a correction with a reason, not a revert

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from local static files (no CDN) at /api/v1/docs
    "simple_history",  # history of corrected records (ilp.core.history)
    "ilp.core",
    "ilp.places",
    "ilp.accounts",
    "ilp.people",
    "ilp.care",
    "ilp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ilp.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ilp.urls"
WSGI_APPLICATION = "ilp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ilp.accounts.context_processors.access",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{Path.cwd() / 'ilp.sqlite3'}"),
        conn_max_age=env_int("ILP_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a generator writes; 20 s waits out short locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # Covering indexes (INCLUDE) are a PostgreSQL speed-up of the work lists; SQLite builds
    # the same index on its key columns only, which is what this warning says.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Indonesian first; English on request (Django i18n).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("ILP_TIME_ZONE", "Asia/Makassar")
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("ILP_STATIC_ROOT", str(Path.cwd() / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from app static folders without collectstatic (the demo and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ILP_LOG_LEVEL", "WARNING")},
}


# --- Accounts: login throttle, idle sessions, second factor, API tokens ------------------------
# (kept together so that changes to the defaults above merge without touching this block)

# The admin site requires the second factor of users who enrolled one, and logs in through the
# ILP login page (same throttle, same second step).
INSTALLED_APPS[INSTALLED_APPS.index("django.contrib.admin")] = (
    "ilp.accounts.admin_config.ILPAdminConfig"
)
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "django_otp.middleware.OTPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "ilp.accounts.middleware.AccountStateMiddleware",
)
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # turns a lockout into the login page (429)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a waiting pair before the password
    "django.contrib.auth.backends.ModelBackend",
]

# Failed-login throttle (accounts.throttle, django-axes): per username+address pair, this many
# failures, then a wait of ILP_LOGIN_FIRST_DELAY seconds that doubles with each further failure
# up to ILP_LOGIN_MAX_DELAY. From an address new to the account, the account's failures from
# anywhere count too, from ILP_LOGIN_ACCOUNT_FAILURES on. Failures are forgotten
# ILP_LOGIN_FAILURE_MEMORY seconds after the last one.
AXES_FAILURE_LIMIT = env_int("ILP_LOGIN_FREE_FAILURES", 5)
ILP_LOGIN_ACCOUNT_FAILURES = env_int("ILP_LOGIN_ACCOUNT_FAILURES", 20)
ILP_LOGIN_FIRST_DELAY = env_int("ILP_LOGIN_FIRST_DELAY", 60)
ILP_LOGIN_MAX_DELAY = env_int("ILP_LOGIN_MAX_DELAY", 60 * 60)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("ILP_LOGIN_FAILURE_MEMORY", 24 * 60 * 60))
if AXES_COOLOFF_TIME.total_seconds() < ILP_LOGIN_MAX_DELAY:
    raise RuntimeError("ILP_LOGIN_FAILURE_MEMORY must be at least ILP_LOGIN_MAX_DELAY")
AXES_HANDLER = "ilp.accounts.throttle.GrowingDelayHandler"
AXES_LOCKOUT_PARAMETERS = "ilp.accounts.throttle.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "ilp.accounts.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "ilp.accounts.access.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

# Idle sessions end (shared puskesmas computers): after ILP_SESSION_IDLE_MINUTES without a
# request the user is logged out and the login page says why. The cookie also ends with the
# browser, and no session lasts longer than ILP_SESSION_MAX_HOURS.
ILP_SESSION_IDLE_SECONDS = env_int("ILP_SESSION_IDLE_MINUTES", 30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("ILP_SESSION_MAX_HOURS", 12) * 60 * 60

# Second factor (django-otp, TOTP) for the district-wide roles; the name authenticator apps show.
OTP_TOTP_ISSUER = "ILP"
OTP_TOTP_THROTTLE_FACTOR = 1  # waits of 1, 2, 4, ... seconds after wrong codes

# API tokens for machine clients (accounts.tokens): calls per minute per token unless the
# token says otherwise.
ILP_API_TOKEN_RATE_PER_MINUTE = env_int("ILP_API_TOKEN_RATE_PER_MINUTE", 120)
