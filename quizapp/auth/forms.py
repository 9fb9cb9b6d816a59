from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Field, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..services.accounts import NAME_MAX_LENGTH
from ..services.passwords import password_problem


def strip_spaces(value: str | None) -> str | None:
    """A form filter: what is typed around a name or an address is never part of it."""
    return value.strip() if isinstance(value, str) else value


class NewPassword:
    """The password policy as a form validator, so the reason shows beside the field. The
    account's email (or username) and name come from the form's own fields, or from
    ``account`` (a signed-in user changing theirs)."""

    def __call__(self, form: Any, field: Field) -> None:
        account = getattr(form, "account", None)
        if account is not None:
            email, name = account.sign_in_name, account.name
        else:
            email, name = form.email.data or "", form.name.data or ""
        problem = password_problem(field.data or "", email, name)
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    """One field for either: pupils from a class list often have a username and no email."""

    account = StringField(
        "Email or username", filters=[strip_spaces], validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me logged in")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    name = StringField(
        "Your name",
        filters=[strip_spaces],
        validators=[DataRequired(), Length(max=NAME_MAX_LENGTH)],
    )
    email = EmailField(
        "Email", filters=[strip_spaces], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), NewPassword()])
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Create account")


class PasswordForm(FlaskForm):
    """Changing a password asks for the current one: a session left open on a shared computer
    must not be enough to lock its owner out."""

    current = PasswordField("Current password", validators=[DataRequired()])
    password = PasswordField("New password", validators=[DataRequired(), NewPassword()])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Change password")

    def __init__(self, account: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account = account
        if account is not None and account.must_change_password:
            self.current.label.text = "One-time password"


class LogoutForm(FlaskForm):
    """Logging out is a POST with a CSRF token, so another site cannot log a user out."""

    submit = SubmitField("Log out")


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", filters=[strip_spaces], validators=[DataRequired(), Email()])
    submit = SubmitField("Send me a link")


class ResetForm(FlaskForm):
    """A new password from an emailed link; ``account`` is the user the link names."""

    password = PasswordField("New password", validators=[DataRequired(), NewPassword()])
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Set password")

    def __init__(self, account: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.account = account


class AcceptInviteForm(FlaskForm):
    """The email is the invite's, shown and fixed: the link was sent to that address."""

    name = StringField(
        "Your name",
        filters=[strip_spaces],
        validators=[DataRequired(), Length(max=NAME_MAX_LENGTH)],
    )
    password = PasswordField("Password", validators=[DataRequired()])
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Create my account")
