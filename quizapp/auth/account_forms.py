from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired


class DeletionRequestForm(FlaskForm):
    """Asking for deletion takes the password again: a session left open on a shared computer
    must not be enough to have someone's account deleted."""

    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password to ask for deletion.")]
    )
    submit = SubmitField("Ask for my account to be deleted")


class CancelDeletionForm(FlaskForm):
    """Only the CSRF token: another site cannot withdraw (or make) the request."""

    submit = SubmitField("Cancel the deletion request")
