"""The account page: what quizapp holds on the signed-in person, its downloads, and their
request to have the account deleted (an admin carries it out)."""

from __future__ import annotations

import json

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..core.formats.spreadsheet import csv_chunks
from ..database import utcnow, write_transaction
from ..extensions import limiter
from ..services.accounts import WrongPassword
from ..services.privacy import (
    cancel_deletion,
    holdings,
    personal_data,
    personal_data_csv,
    request_deletion,
)
from . import bp
from .account_forms import CancelDeletionForm, DeletionRequestForm

# A download of someone's personal data must not stay in a shared computer's browser cache,
# nor in any proxy's.
PRIVATE_DOWNLOAD = {"Cache-Control": "no-store"}


def _signed_in_key() -> str:
    """Deletion requests are counted per account: the form checks a password, so guessing it
    through here must be as slow as at the login form."""
    return f"account-page:{current_user.id}"


def _page(form: DeletionRequestForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "auth/account.html",
        held=holdings(current_user.id),
        form=form or DeletionRequestForm(),
        cancel_form=CancelDeletionForm(),
    ), status


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    """What is stored about the person, in plain words, with its downloads."""
    return _page()


@bp.post("/account/delete")
@login_required
@limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_signed_in_key)
def ask_deletion() -> ResponseReturnValue:
    form = DeletionRequestForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                request_deletion(current_user.id, form.password.data or "")
        except WrongPassword:
            form.password.errors.append("That is not your password; nothing was asked.")
        else:
            flash("Your deletion request is sent to an admin.", "success")
            return redirect(url_for("auth.account"))
    return _page(form, 422)


@bp.post("/account/delete/cancel")
@login_required
def withdraw_deletion() -> ResponseReturnValue:
    if CancelDeletionForm().validate_on_submit():
        with write_transaction():
            pending = cancel_deletion(current_user.id)
        if pending:
            flash("Your deletion request is cancelled; your account stays.", "success")
        else:
            flash("There was no deletion request to cancel.", "info")
    return redirect(url_for("auth.account"))


@bp.get("/account/data.json")
@login_required
def data_json() -> ResponseReturnValue:
    """Everything held on the person, as one JSON file."""
    body = json.dumps(personal_data(current_user.id), indent=2, ensure_ascii=False)
    return Response(
        body + "\n",
        mimetype="application/json",
        headers={**PRIVATE_DOWNLOAD, **_attachment("data", "json")},
    )


@bp.get("/account/answers.csv")
@login_required
def answers_csv() -> ResponseReturnValue:
    """Every answer the person gave, a row each, as CSV for a spreadsheet."""
    header, rows = personal_data_csv(current_user.id)
    return Response(
        stream_with_context(csv_chunks(header, rows)),
        mimetype="text/csv",
        headers={**PRIVATE_DOWNLOAD, **_attachment("answers", "csv")},
    )


def _attachment(what: str, extension: str) -> dict[str, str]:
    name = f"quizapp-{what}-{utcnow().date().isoformat()}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}
