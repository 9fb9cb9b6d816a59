"""The shape every teacher button shares: check the form, run the service, say what happened.

A refusal the teacher can act on ("add a question first") becomes a message on the page they
came from; "not found" stays a 404, so another teacher's ids never get a friendlier answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash
from flask_wtf import FlaskForm

from ..database import write_transaction
from ..services import NotFound, ServiceError

T = TypeVar("T")


def form_expired(form: FlaskForm) -> bool:
    """True (with a message) when a bare button's form fails, i.e. its CSRF token is stale."""
    if form.validate_on_submit():
        return False
    flash("The form expired; try again.", "error")
    return True


def attempt(action: Callable[[], T], success: Callable[[T], str]) -> T | None:
    """Run the service call in one write transaction and flash its outcome."""
    try:
        with write_transaction():
            result = action()
    except NotFound:
        raise
    except ServiceError as exc:
        flash(str(exc), "error")
        return None
    flash(success(result), "success")
    return result
