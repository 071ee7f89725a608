"""Django settings for openleave.

Development defaults need nothing: SQLite in ./var, DEBUG on, a local secret. Production is
switched on with OPENLEAVE_ENV=production and then requires SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
FIELD_ENCRYPTION_KEY and the medical-document keys (OPENLEAVE_MEDICAL_KEYS or OPENLEAVE_MEDICAL_KEYS_FILE) from the environment (secrets only from the environment; never logged): a
missing or malformed one stops start-up with one line each (``ImproperlyConfigured``; manage.py and
the WSGI entry print the lines without a traceback). Nothing falls back silently. The README's
"Production" checklist is the order of steps.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENLEAVE_VAR_DIR", BASE_DIR / "var"))
PRODUCTION = os.environ.get("OPENLEAVE_ENV", "development") == "production"
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"


def _dev_secret() -> str:
    """A per-checkout random key for development, kept in ./var (never used in production)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _fernet_key_problem(key: str) -> str | None:
    """Why ``key`` is not a Fernet key (32 url-safe base64-encoded bytes), or None."""
    import base64
    import binascii

    try:
        ok = len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        ok = False
    return None if ok else "is not a Fernet key (32 url-safe base64-encoded bytes)"


def parse_medical_keys(text: str) -> dict[str, str]:
    """``id:base64key`` entries, separated by commas or new lines (``#`` starts a comment) → {key id: key}.
    Raises ValueError naming the entry (by its id or position — never the key) that is not an AES-256 key."""
    import base64
    import binascii

    keys: dict[str, str] = {}
    entries = [e.split("#", 1)[0].strip() for line in text.splitlines() for e in line.split(",")]
    for n, entry in enumerate((e for e in entries if e), start=1):
        key_id, sep, key = entry.partition(":")
        key_id, key = key_id.strip(), key.strip()
        if not sep or not key_id or not key_id.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise ValueError(f"entry {n} is not 'id:key' (an id of letters, digits, - _ .)")
        try:
            ok = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ValueError(f"the key {key_id!r} is not 32 url-safe base64-encoded bytes (AES-256)")
        if key_id in keys:
            raise ValueError(f"the key id {key_id!r} is given twice")
        keys[key_id] = key
    return keys


MEDICAL_KEY_HINT = ('one or more AES-256 keys as id:key (comma-separated; the newest last), e.g. OPENLEAVE_MEDICAL_KEYS='
                    '"2026a:$(python -c \'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())\')", '
                    "or OPENLEAVE_MEDICAL_KEYS_FILE naming a file (mode 0600) of such lines")


def _medical_keys_text() -> str:
    """The medical-document keys as given: the environment, else the file it names (never the database)."""
    if _env("OPENLEAVE_MEDICAL_KEYS"):
        return _env("OPENLEAVE_MEDICAL_KEYS")
    path = _env("OPENLEAVE_MEDICAL_KEYS_FILE")
    if path:
        return Path(path).read_text()
    return ""


def _medical_key_problem() -> str | None:
    if not _env("OPENLEAVE_MEDICAL_KEYS") and not _env("OPENLEAVE_MEDICAL_KEYS_FILE"):
        return None  # reported as "not set"
    try:
        keys = parse_medical_keys(_medical_keys_text())
    except OSError:
        return "OPENLEAVE_MEDICAL_KEYS_FILE cannot be read: give " + MEDICAL_KEY_HINT + "."
    except ValueError as exc:
        return f"OPENLEAVE_MEDICAL_KEYS: {exc}: give {MEDICAL_KEY_HINT}."
    if not keys:
        return "OPENLEAVE_MEDICAL_KEYS holds no key: give " + MEDICAL_KEY_HINT + "."
    current = _env("OPENLEAVE_MEDICAL_KEY_ID")
    if current and current not in keys:
        return f"OPENLEAVE_MEDICAL_KEY_ID {current!r} is not one of the keys given ({', '.join(keys)})."
    return None


def _dev_medical_keys() -> str:
    """Development: a per-checkout random medical-document key in ./var (never committed, never in production)."""
    import base64

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "medical-keys"
    if not path.exists():
        path.write_text(f"dev1:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}\n")
        path.chmod(0o600)
    return path.read_text()


def _production_problems() -> list[str]:
    """One line per required production setting that is missing or malformed (README "Production")."""
    hints = {
        "SECRET_KEY": 'a long random value: python -c "import secrets; print(secrets.token_urlsafe(50))"',
        "ALLOWED_HOSTS": "the site's host name(s), comma-separated, e.g. leave.example.org",
        "DATABASE_URL": "the database, e.g. postgresql://openleave:PASSWORD@db.example.org:5432/openleave "
                        "(production never falls back to SQLite in ./var)",
        "FIELD_ENCRYPTION_KEY": 'a Fernet key: python -c "from cryptography.fernet import Fernet; '
                                'print(Fernet.generate_key().decode())"',
    }
    problems = [f"{name} is not set: give {hint}." for name, hint in hints.items() if not _env(name)]
    if not _env("OPENLEAVE_MEDICAL_KEYS") and not _env("OPENLEAVE_MEDICAL_KEYS_FILE"):
        problems.append(f"OPENLEAVE_MEDICAL_KEYS is not set: give {MEDICAL_KEY_HINT}.")
    if _env("SECRET_KEY") and len(_env("SECRET_KEY")) < 50:
        problems.append(f"SECRET_KEY is too short ({len(_env('SECRET_KEY'))} characters): give {hints['SECRET_KEY']}.")
    if _env("DATABASE_URL"):
        try:
            dj_database_url.parse(_env("DATABASE_URL"))
        except Exception:  # the URL itself may hold a password: never echo it
            problems.append("DATABASE_URL is not a database URL: give " + hints["DATABASE_URL"] + ".")
    if _env("FIELD_ENCRYPTION_KEY") and (why := _fernet_key_problem(_env("FIELD_ENCRYPTION_KEY"))):
        problems.append(f"FIELD_ENCRYPTION_KEY {why}: give {hints['FIELD_ENCRYPTION_KEY']}.")
    if why := _medical_key_problem():
        problems.append(why)
    return problems


SITE_URL_HINT = "the site's address as members open it, for the links in e-mails, e.g. https://leave.example.org"


def _site_url_problems() -> list[str]:
    """OPENLEAVE_SITE_URL missing, or not an http(s) address with a host (and no query): the links in e-mails are
    made absolute from it (``leave.services.site_url``)."""
    import urllib.parse

    url = _env("OPENLEAVE_SITE_URL")
    if not url:
        return [f"OPENLEAVE_SITE_URL is not set: give {SITE_URL_HINT}."]
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("http", "https") or not u.netloc or u.query or u.fragment:
        return [f"OPENLEAVE_SITE_URL is not a web address (http:// or https:// and a host name): give {SITE_URL_HINT}."]
    return []


if PRODUCTION:
    if _problems := _production_problems() + _site_url_problems():
        raise ImproperlyConfigured(
            "openleave will not start in production (OPENLEAVE_ENV=production):\n"
            + "\n".join(f"  - {p}" for p in _problems)
        )
    SECRET_KEY = _env("SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS").split(",") if h.strip()]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or _dev_secret()
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

# The site's address as members open it: every link in an e-mail is made absolute from it
# (``leave.services.site_url``). Required in production; development serves on localhost:8000 (make run).
OPENLEAVE_SITE_URL = (_env("OPENLEAVE_SITE_URL") or ("" if PRODUCTION else "http://localhost:8000")).rstrip("/")

# Key for field encryption of sealed (medical) data (a Fernet key); required in production.
FIELD_ENCRYPTION_KEY = _env("FIELD_ENCRYPTION_KEY")

# Medical documents (openleave.medical): AES-256-GCM keys, id → url-safe base64 key, from OPENLEAVE_MEDICAL_KEYS or
# the file OPENLEAVE_MEDICAL_KEYS_FILE names — never the database. New uploads use OPENLEAVE_MEDICAL_KEY_ID (default:
# the last key listed); older keys stay listed until `manage.py rotate_medical_key` has re-encrypted every blob.
# Development generates one in ./var/medical-keys; production refuses to start without them.
try:
    OPENLEAVE_MEDICAL_KEYS = parse_medical_keys(
        _medical_keys_text() if PRODUCTION or _env("OPENLEAVE_MEDICAL_KEYS") or _env("OPENLEAVE_MEDICAL_KEYS_FILE")
        else _dev_medical_keys())
except (OSError, ValueError) as _exc:
    raise ImproperlyConfigured(f"OPENLEAVE_MEDICAL_KEYS: {_exc}") from None
OPENLEAVE_MEDICAL_KEY_ID = _env("OPENLEAVE_MEDICAL_KEY_ID") or (list(OPENLEAVE_MEDICAL_KEYS)[-1] if OPENLEAVE_MEDICAL_KEYS
                                                                else "")
# The largest medical document accepted (bytes, before encryption). The request guard lets a multipart upload of
# this size through (DATA_UPLOAD_MAX_MEMORY_SIZE still bounds every other body); the upload is held in memory —
# plaintext never goes to a temporary file.
OPENLEAVE_MEDICAL_MAX_BYTES = int(os.environ.get("OPENLEAVE_MEDICAL_MAX_BYTES", 5_000_000))
FILE_UPLOAD_MAX_MEMORY_SIZE = OPENLEAVE_MEDICAL_MAX_BYTES + 262_144

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the Swagger UI of /api/docs from our own static files (the CSP allows no CDN)
    "openleave.audit",
    "openleave.accounts",
    "openleave.people",
    "openleave.privacy",
    "openleave.ledger",
    "openleave.leave",
    "openleave.holidays",
    "openleave.separation",
    "openleave.comp",
    "openleave.medical",
    "openleave.planner",
    "openleave.statements",
    "openleave.payroll",
    "openleave.grievance",
    "openleave.steward",
    "openleave.contract",
    "openleave.web",
    "openleave.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openleave.web.middleware.InputGuardMiddleware",  # 413 for big bodies, 400 for NUL bytes / bad input
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "openleave.web.middleware.NoStoreForPersonalData",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "openleave.web.middleware.RefusalLooksTheSame",
]

ROOT_URLCONF = "openleave.urls"
WSGI_APPLICATION = "openleave.wsgi.application"

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
                "openleave.web.context.roles",
            ],
        },
    },
]

DATABASES = {  # an empty DATABASE_URL is no DATABASE_URL: SQLite in development (production: DATABASE_URL only)
    "default": dj_database_url.parse(
        _env("DATABASE_URL") or ("" if PRODUCTION else f"sqlite:///{VAR_DIR / 'openleave.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    ) if (_env("DATABASE_URL") or not PRODUCTION) else {"ENGINE": ""}
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"})
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions: short-lived, expire with the browser, HttpOnly; signed out after 30 idle minutes
# (the expiry slides with each request) — shared workstations are common in agencies.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 60 * 30))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Content-Security-Policy: nothing from third parties — no scripts, fonts or analytics (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Access log: each append tries to seal pending rows into the hash chain without waiting; a busy server
# may space those attempts (seconds, per process) — rows then wait up to that long for their seal, and
# ``manage.py seal_access_log`` run periodically seals whatever an idle server left (openleave.audit.access).
ACCESS_LOG_SEAL_SECONDS = float(os.environ.get("ACCESS_LOG_SEAL_SECONDS", "0"))

# Signed chain-head checkpoints (openleave.audit.checkpoint, docs/tamper-evidence.md): the Ed25519 private key
# file, kept OUTSIDE the database (mode 0600); its public key is the same path with ".pub", for the union and the
# auditor. Development generates one in ./var; production must name it (OPENLEAVE_CHECKPOINT_KEY).
OPENLEAVE_CHECKPOINT_KEY = os.environ.get(
    "OPENLEAVE_CHECKPOINT_KEY", "" if PRODUCTION else str(VAR_DIR / "checkpoint_ed25519.pem"))
OPENLEAVE_CHECKPOINT_PUBLIC_KEY = os.environ.get("OPENLEAVE_CHECKPOINT_PUBLIC_KEY", "")

# Retention in years per category (openleave.privacy.retention; `manage.py apply_retention`).
# Medical/FMLA records: at least 3 years (29 CFR 825.500) — a shorter value is refused.
OPENLEAVE_RETENTION_YEARS = {
    "access_log": 7,
    "medical": 3,
    "leave": 7,
    "consent": 3,
    "separated_employee": 7,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")  # `manage.py collectstatic` fills it
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Outbound e-mail only through the configured backend (console in development).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "openleave@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Never log SQL (it can carry personal data and credentials).
    "loggers": {"django.db.backends": {"level": "WARNING", "propagate": False, "handlers": []}},
}
