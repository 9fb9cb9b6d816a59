from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..auth.forms import strip_spaces
from ..models import Role
from ..services.invites import INVITE_ROLES

ROLE_CHOICES = [SelectChoice(r.value, r.value.title()) for r in Role]


class UserFilterForm(FlaskForm):
    """The users list's filters, read from the query string so a filtered list can be
    bookmarked; a malformed value is ignored, not an error page."""

    class Meta:
        csrf = False

    q = StringField("Name, email or username", validators=[Optional(), Length(max=200)])
    role = SelectField(
        "Role", choices=[SelectChoice("", "Any role"), *ROLE_CHOICES], validators=[Optional()]
    )
    deletion = BooleanField("Only those who asked to be deleted")


class InviteForm(FlaskForm):
    email = EmailField(
        "Email", filters=[strip_spaces], validators=[DataRequired(), Email(), Length(max=254)]
    )
    role = SelectField(
        "Invite as",
        choices=[SelectChoice(r.value, r.value.title()) for r in INVITE_ROLES],
        default=Role.TEACHER.value,
    )
    submit = SubmitField("Invite")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ActionForm(FlaskForm):
    """A bare CSRF-protected button: disable, re-enable, revoke, delete."""

    submit = SubmitField()
