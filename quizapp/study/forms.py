from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import HiddenInput


class SideCorrectionForm(FlaskForm):
    """A teacher's correction of one actor's side; the choices are the article's sides."""

    actor = HiddenField(validators=[InputRequired()])
    side = SelectField("Side", validate_choice=True)
    submit = SubmitField("Save side")

    def set_sides(self, sides: list[tuple[str, str]]) -> None:
        self.side.choices = [*sides, ("", "Side not stated")]


class RatingForm(FlaskForm):
    """A card's rating: the four buttons share the name ``rating`` and differ in value.

    ``version`` is how many ratings the card had when it was shown, so a replayed form is
    recognised instead of rating the card twice.
    """

    card = HiddenField(validators=[InputRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(), NumberRange(min=0)])
    rating = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=4)])
