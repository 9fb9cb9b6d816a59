from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import InputRequired


class SideCorrectionForm(FlaskForm):
    """A teacher's correction of one actor's side; the choices are the article's sides."""

    actor = HiddenField(validators=[InputRequired()])
    side = SelectField("Side", validate_choice=True)
    submit = SubmitField("Save side")

    def set_sides(self, sides: list[tuple[str, str]]) -> None:
        self.side.choices = [*sides, ("", "Side not stated")]
