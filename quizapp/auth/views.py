from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from .. import config
from ..database import write_transaction
from ..errors import wants_json
from ..extensions import db, limiter, login_manager
from ..links import public_link
from ..models import User
from ..services import ServiceError
from ..services.accounts import (
    AccountDisabled,
    EmailTaken,
    WrongPassword,
    authenticate,
    change_password,
    create_user,
    end_sessions,
    find_by_sign_in_name,
)
from ..services.mail import send_mail
from ..services.resets import (
    InvalidResetLink,
    make_token,
    reset_password,
    user_for_token,
)
from . import bp
from .forms import LoginForm, LogoutForm, PasswordForm, RegisterForm, ResetForm, ResetRequestForm

# Said after every registration, whether the address was new or already had an account, so
# the form cannot be used to find out who has one.
REGISTERED = "If {email} can be used, its account is ready: log in with it below."
# Said after every reset request, for the same reason.
RESET_SENT = "If an account uses that address, a link is on its way."
RESET_MAIL = """Someone (we hope you) asked to reset the quizapp password of this account.

Set a new one here; the link works once, for {minutes} minutes:

{link}

If you did not ask, ignore this message: your password stays as it is.
"""
MUST_CHANGE = "You signed in with a one-time password: choose your own password to go on."
# What a user on a one-time password can still reach: the form to leave it, the way out,
# and what the page itself needs.
OPEN_WHILE_ONE_TIME = frozenset({"auth.password", "auth.logout", "static"})


@bp.record_once
def _sign_in_lifetime(state: object) -> None:
    """Flask-Login reads REMEMBER_COOKIE_DURATION as seconds; quizapp's setting is days."""
    app = state.app  # type: ignore[attr-defined]
    app.config["REMEMBER_COOKIE_DURATION"] = config.sign_in_lifetime(app.config)


@login_manager.user_loader
def load_user(alternative_id: str) -> User | None:
    """The user a cookie names by ``<session token>.<signed-in time>`` (User.get_id), or None
    once that token was replaced (logout, a password change) or the sign-in is older than
    REMEMBER_COOKIE_DURATION: both checked here, on every request, not by the browser.
    A disabled account's cookies name no one, whatever else ended or not.

    Detached from the database session: a commit expires what the session holds, and
    current_user.id after a write would otherwise cost a query of its own."""
    token, _, signed_in = alternative_id.rpartition(".")
    if not token or not signed_in.isdigit():
        return None  # a cookie from before session tokens (a bare id), or garbage
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds()
    if time.time() - int(signed_in) > lifetime:
        return None
    user = db.session.scalar(
        select(User).where(User.session_token == token, User.disabled_at.is_(None))
    )
    if user is not None:
        user.signed_in_at = int(signed_in)
        db.session.expunge(user)
    return user


@bp.before_app_request
def _own_password_first() -> ResponseReturnValue | None:
    """Until a user on a one-time password (a class list's, a teacher's reset) chooses their
    own, every page sends them to the password form: the one-time one is on paper. A script's
    POST (JSON) gets a 403 with the message, which it can show, instead of a page."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_WHILE_ONE_TIME or request.blueprint == "health":
        return None
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.method != "GET" and (
        wants_json() or request.is_json or request.headers.get("X-Requested-With")
    ):
        return jsonify(message=MUST_CHANGE, category="error"), 403
    flash(MUST_CHANGE, "info")
    return redirect(url_for("auth.password"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> str | WerkzeugResponse | tuple[str, int]:
    """Create a learner account, then send them to log in. A taken address gets the same
    answer as a new one (and the same password hashing, so the same time)."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        try:
            with write_transaction():
                create_user(email, form.name.data or "", form.password.data or "")
        except EmailTaken:
            current_app.logger.info("registration for an existing address")
        flash(REGISTERED.format(email=email), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | WerkzeugResponse | tuple[str, int]:
    """Log in with an email or username and the password, then go back where the user was
    heading (a user on a one-time password goes to the password form first)."""
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.account.data or "", form.password.data or "")
        except AccountDisabled as exc:
            user = None
            form.account.errors.append(str(exc))
        if user is None and not form.account.errors:
            form.password.errors.append(
                "That email or username and password do not match an account."
            )
        elif user is not None:
            start_fresh_session(user, remember=bool(form.remember.data))
            flash(f"Logged in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or _home_of(user))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    """Log out everywhere (POST only, CSRF-checked): the user's session token is replaced, so
    a copied session cookie or a remember-me cookie on another device stops working too."""
    if LogoutForm().validate_on_submit():
        with write_transaction():
            end_sessions(current_user.id)
        logout_user()
        flash("You have logged out.", "info")
    return redirect(url_for("learn.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> str | WerkzeugResponse | tuple[str, int]:
    """Change one's password; every other sign-in of the account ends, this one goes on."""
    form = PasswordForm(account=current_user)
    if form.validate_on_submit():
        try:
            with write_transaction():
                user = change_password(
                    current_user.id, form.current.data or "", form.password.data or ""
                )
        except WrongPassword as exc:
            form.current.errors.append(str(exc))
        except ServiceError as exc:
            form.password.errors.append(str(exc))
        else:
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            start_fresh_session(user, remember=remembered in request.cookies)
            flash("Your password is changed; you were signed out everywhere else.", "success")
            return redirect(_home_of(user))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 422


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def reset_request() -> str | WerkzeugResponse | tuple[str, int]:
    """Ask for a reset link by email. The answer is the same whether or not an account uses
    the address; only a real account is sent a link."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = find_by_sign_in_name(form.email.data or "")
        if user is not None:
            minutes = int(current_app.config["RESET_TOKEN_MINUTES"])
            link = public_link("auth.reset", token=make_token(user))
            try:
                send_mail(
                    user.email,
                    "Reset your quizapp password",
                    RESET_MAIL.format(minutes=minutes, link=link),
                )
            except OSError:
                # Said to no one but the log: an error page would tell who has an account.
                current_app.logger.exception("the password reset mail could not be sent")
        flash(RESET_SENT, "info")
        return redirect(url_for("auth.reset_request"))
    return render_template("auth/reset_request.html", form=form), 200 if not form.errors else 422


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def reset(token: str) -> str | WerkzeugResponse | tuple[str, int]:
    """Set a new password from an emailed link; it ends every sign-in, and the link with them."""
    try:
        user = user_for_token(token)
    except InvalidResetLink as exc:
        flash(str(exc), "error")
        return render_template("auth/reset_request.html", form=ResetRequestForm()), 404
    form = ResetForm(account=user)
    if form.validate_on_submit():
        try:
            with write_transaction():
                reset_password(token, form.password.data or "")
        except InvalidResetLink as exc:
            flash(str(exc), "error")
            return redirect(url_for("auth.reset_request"))
        except ServiceError as exc:
            form.password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(
                "Your password is set; you were signed out everywhere. Log in with it.", "success"
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 200 if not form.errors else 422


def start_fresh_session(user: User, remember: bool = False) -> None:
    """Log in on a new session: nothing set before login (by anyone) carries over into it."""
    session.clear()
    login_user(user, remember=remember)


def _home_of(user: User) -> str:
    """Where someone lands after logging in: a teacher's work starts at the teacher's home."""
    return url_for("teach.index") if user.is_teacher else url_for("learn.home")


def _safe_next(target: str | None) -> str | None:
    """Follow ?next= only to a path on this site, never to another host. Control characters
    (a CR or LF would split the Location header: a 500) and backslashes (which browsers read
    as "/", making "/\\evil.example" another host) are refused outright."""
    if not target or any(ord(char) < 32 or ord(char) == 127 or char == "\\" for char in target):
        return None
    if target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return None
