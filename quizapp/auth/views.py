from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from ..database import write_transaction
from ..extensions import db, limiter, login_manager
from ..models import User
from ..services.accounts import EmailTaken, authenticate, create_user
from . import bp
from .forms import LoginForm, LogoutForm, RegisterForm


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user, detached from the database session: a commit expires what the
    session holds, and current_user.id after a write would otherwise cost a query of its own."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is not None:
        db.session.expunge(user)
    return user


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> str | WerkzeugResponse:
    """Create a learner account and log it in."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            with write_transaction():
                user = create_user(
                    form.email.data or "", form.name.data or "", form.password.data or ""
                )
        except EmailTaken as exc:
            form.email.errors.append(str(exc))
        else:
            _start_fresh_session(user)
            flash(f"Welcome, {user.name}! Pick a quiz to start.", "success")
            return redirect(url_for("learn.home"))
    return render_template("auth/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> str | WerkzeugResponse | tuple[str, int]:
    """Log in with email and password, then go back where the user was heading."""
    if current_user.is_authenticated:
        return redirect(_home_of(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.password.errors.append("That email and password do not match an account.")
        else:
            _start_fresh_session(user, remember=bool(form.remember.data))
            flash(f"Logged in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or _home_of(user))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    """Log out (POST only, CSRF-checked)."""
    if LogoutForm().validate_on_submit():
        logout_user()
        flash("You have logged out.", "info")
    return redirect(url_for("learn.home"))


def _start_fresh_session(user: User, remember: bool = False) -> None:
    """Log in on a new session: nothing set before login (by anyone) carries over into it."""
    session.clear()
    login_user(user, remember=remember)


def _home_of(user: User) -> str:
    """Where someone lands after logging in: a teacher's work starts at the teacher's home."""
    return url_for("teach.index") if user.is_teacher else url_for("learn.home")


def _safe_next(target: str | None) -> str | None:
    """Follow ?next= only to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return None
