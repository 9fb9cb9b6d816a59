"""Accepting an invitation: the invited teacher (or admin) picks a name and a password on the
emailed link, and is signed in on a new session, straight into the teacher's workspace."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from ..database import write_transaction
from ..extensions import limiter
from ..services import ServiceError
from ..services.accounts import EmailTaken, WeakPassword
from ..services.invites import accept_invite, invite_for_token
from . import bp
from .forms import AcceptInviteForm
from .views import start_fresh_session


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def invite(token: str) -> ResponseReturnValue:
    """A dead link (forged, expired, used, revoked) is a 404 saying so, from the error page."""
    invitation = invite_for_token(token)
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                user = accept_invite(token, form.name.data or "", form.password.data or "")
        except EmailTaken:
            form.form_errors.append(
                f"An account with {invitation.email} already exists; log in with it instead."
            )
        except WeakPassword as exc:
            form.password.errors.append(str(exc))
        except ServiceError as exc:
            if exc.status == 404:
                raise
            form.name.errors.append(str(exc))
        else:
            start_fresh_session(user)
            flash(f"Welcome, {user.name}: your {user.role}'s account is ready.", "success")
            return redirect(url_for("teach.index"))
    return render_template(
        "auth/invite.html", form=form, invite=invitation
    ), 200 if not form.errors else 422
