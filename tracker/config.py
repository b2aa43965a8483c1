"""Settings from environment variables and the instance folder.

Every setting has a safe default so that ``make demo`` works with no configuration; production
sets ``DATABASE_URL`` (PostgreSQL) and ``SECRET_KEY`` or lets the first start generate one.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path


def _secret_key(instance_path: Path, *, generate: bool = True) -> str:
    """Return ``SECRET_KEY`` from the environment, or one kept in the instance folder.

    The key is generated on first start rather than written in code, so two deployments never
    share a session-signing key. Several workers on one host read the same file.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not generate:  # production: a missing key is refused, not made up (core/production.py)
        return ""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: if two workers start at once, one writes and the other reads its key.
        try:
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'tracker.sqlite'}"
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(instance_path: str) -> dict:
    path = Path(instance_path)
    mb = 1024 * 1024
    # Served over HTTPS (directly or behind a proxy that terminates TLS): cookies only travel
    # encrypted. SESSION_COOKIE_SECURE=0/1 overrides either way.
    scheme = os.environ.get("PREFERRED_URL_SCHEME", "http")
    secure_cookies = os.environ.get("SESSION_COOKIE_SECURE", "1" if scheme == "https" else "")
    env = os.environ.get("TRACKER_ENV", "development")
    return {
        # "production" refuses demo accounts, a missing SECRET_KEY and a missing signing
        # certificate (tracker/core/production.py).
        "TRACKER_ENV": env,
        "PREFERRED_URL_SCHEME": scheme,
        # How many proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: trust none).
        "TRUST_PROXY": int(os.environ.get("TRUST_PROXY", "0")),
        # Strict-Transport-Security on responses served over HTTPS (0: none).
        "HSTS_SECONDS": int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600))),
        "SECRET_KEY": _secret_key(path, generate=env != "production"),
        "SQLALCHEMY_DATABASE_URI": _database_url(path),
        # Idle pooled connections are tested before use (tracker.core.database), not all.
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "DISPLAY_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai"),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "zh"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai"),
        "LANGUAGES": {"zh": "中文", "en": "English"},
        # One photo may be this large; a whole request (several photos) up to the second figure.
        "MAX_PHOTO_BYTES": int(os.environ.get("MAX_PHOTO_MB", "5")) * mb,
        "MAX_PHOTOS_PER_UPLOAD": int(os.environ.get("MAX_PHOTOS_PER_UPLOAD", "6")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_REQUEST_MB", "32")) * mb,
        # Where the throttles count (tracker/core/throttling.py). Every worker and every app
        # server must add to one count, or each allows the full limit: unset, the Redis on this
        # machine (redis://127.0.0.1:6379/0), which `make demo` installs and starts, so that its
        # two workers share it; several app servers name the Redis they share. memory:// counts
        # in each process and is right only for a single process.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", ""),
        # Unset: derived from the database's name, so deployments sharing a Redis stay apart.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        # While that Redis is unreachable each process counts on its own (a warning is logged),
        # instead of answering every login with an error page.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        # Uploads to the public /verify page from one address (each costs a PDF parse), and the
        # time one verification may take before the file is refused as too complex.
        "VERIFY_LIMIT_PER_ADDRESS": os.environ.get("VERIFY_LIMIT_PER_ADDRESS", "30 per hour"),
        "VERIFY_SECONDS": float(os.environ.get("VERIFY_SECONDS", "2")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies == "1",
        "REMEMBER_COOKIE_SECURE": secure_cookies == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # How long a login lasts at most, "stay logged in" or not: the remember-me cookie's
        # lifetime, and the server refuses the login after it whatever the browser keeps
        # (tracker.auth.loader). A change applies to logins begun after it.
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(os.environ.get("LOGIN_DAYS", "30"))),
        # Answers every worker shares (tracker.core.cache): files in the instance folder by
        # default, one Redis for several app servers (redis://host:6379/1). CACHE_TYPE names
        # any other Flask-Caching backend.
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", ""),
        "CACHE_TYPE": os.environ.get("CACHE_TYPE", ""),
        # The file cache's folder (default: cache/ in the instance folder).
        "CACHE_DIR": os.environ.get("CACHE_DIR", ""),
        # Keeps deployments that share one Redis apart.
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tracker/"),
        "CASES_PER_PAGE": 20,
        # The dashboard's figures are recomputed at most this often per worker (0: every view).
        "DASHBOARD_CACHE_SECONDS": int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300")),
        "MEETINGS_PER_PAGE": 20,
        # The minutes PDF is signed with this certificate and key (PEM); without them a
        # self-signed demo certificate is generated into the instance folder.
        "SIGNING_CERT": os.environ.get("SIGNING_CERT", ""),
        "SIGNING_KEY": os.environ.get("SIGNING_KEY", ""),
        # Printed in the minutes' QR code; the address residents and officials reach the app at.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Reminders are e-mailed too when MAIL_SERVER is set; in-app notifications always.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "tracker@localhost"),
        # Refuse to start without a CJK font or HarfBuzz subsetting (tests may turn it off).
        "CHECK_PDF_ENVIRONMENT": os.environ.get("CHECK_PDF_ENVIRONMENT", "1") == "1",
        # A meeting can take hours; the CSRF token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' messages come through tracker.core.forms.Form, one catalogue per language.
        "WTF_I18N_ENABLED": False,
    }
