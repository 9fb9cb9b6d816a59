"""Settings: defaults here, then ``instance/config.py``, then the environment, then tests."""

from __future__ import annotations

import os
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
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
}

# Environment variable -> config key. Environment wins over the instance file.
ENVIRONMENT: dict[str, str] = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY": "SECRET_KEY",
    "MAX_ARTICLE_CHARS": "MAX_ARTICLE_CHARS",
    "SESSION_COOKIE_SECURE": "SESSION_COOKIE_SECURE",
}

_INTEGER_KEYS = {"MAX_ARTICLE_CHARS"}
_BOOLEAN_KEYS = {"SESSION_COOKIE_SECURE"}


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
