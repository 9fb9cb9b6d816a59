"""The shape every teacher button shares: run the service, say what happened.

CSRFProtect has already refused a POST with a stale token before any view runs. A refusal the
teacher can act on ("add a question first") becomes a message on the page they came from;
"not found" stays a 404, so another teacher's ids never get a friendlier answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import flash

from ..database import write_transaction
from ..services import NotFound, ServiceError

T = TypeVar("T")


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
