"""Per-account rate limits on signing in and registering, next to the per-address ones.

Behind a school's proxy (or NAT) every pupil shares one address, so a limit counted only per
address lets ten wrong passwords from one pupil lock the whole school out. The per-address
limits (``LOGIN_RATE_LIMIT``, ``REGISTER_RATE_LIMIT``, declared on the views) are therefore set
high enough for a school signing in at once, and the limits here count per submitted email,
so guessing one account's password stays slow without blocking anyone else. An account is
named by what its form submits: the login form's email-or-username, the registration's email.

The limits are attached to the existing view functions by endpoint, through Flask-Limiter's
own decorator, so they share its storage (Redis in production), headers and 429 page.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from .extensions import limiter
from .services.accounts import normalise_email, normalise_username

# Endpoint -> the setting holding its per-account limit.
ACCOUNT_LIMITS: dict[str, str] = {
    "auth.login": "LOGIN_ACCOUNT_RATE_LIMIT",
    "auth.register": "REGISTER_ACCOUNT_RATE_LIMIT",
}
# Endpoint -> the form field naming the account.
ACCOUNT_FIELDS: dict[str, str] = {"auth.login": "account", "auth.register": "email"}


def submitted_account() -> str:
    """The bucket a POST counts in: the email or username as accounts are looked up (trimmed,
    lower case), so "Bo@School.org " and "bo@school.org" are one account and share one count."""
    value = request.form.get(ACCOUNT_FIELDS.get(request.endpoint or "", "email"), "")
    return "account:" + (normalise_email(value) if "@" in value else normalise_username(value))


def _login_account_limit() -> str:
    return str(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])


def _register_account_limit() -> str:
    return str(current_app.config["REGISTER_ACCOUNT_RATE_LIMIT"])


# Module-level callables, not lambdas made per app: Flask-Limiter keeps decorated limits on the
# process-wide limiter in a set, and equal limits are only deduplicated when they are built from
# the same objects, so creating many apps (the tests do) never counts a request twice.
_LIMIT_VALUES = {
    "LOGIN_ACCOUNT_RATE_LIMIT": _login_account_limit,
    "REGISTER_ACCOUNT_RATE_LIMIT": _register_account_limit,
}


def register_account_limits(app: Flask) -> None:
    """Add the per-account limit to each endpoint in ACCOUNT_LIMITS (POST only: reading the
    form is never limited). Run after the blueprints are registered."""
    for endpoint, setting in ACCOUNT_LIMITS.items():
        view = app.view_functions[endpoint]
        # The decorator registers the limit under the view's qualified name, which the
        # view's own (per-address) limiter wrapper checks on every request; the wrapper
        # it returns is not needed.
        limiter.limit(_LIMIT_VALUES[setting], key_func=submitted_account, methods=["POST"])(view)
