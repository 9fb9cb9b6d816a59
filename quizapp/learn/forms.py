from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length


class AnswerForm(FlaskForm):
    """One question's answer: radio buttons or checkboxes, both read as a list of choice ids.

    Whether a choice belongs to the question is the service's call, so a tampered form gets
    the same clear message as any other wrong choice.
    """

    question_id = HiddenField(validators=[InputRequired()])
    answer = SelectMultipleField(
        "Your answer",
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(message="Choose an answer before submitting.")],
    )
    submit = SubmitField("Check answer")


class ActionForm(FlaskForm):
    """A bare CSRF-protected button: start a quiz, finish an attempt."""

    submit = SubmitField()


class JoinClassForm(FlaskForm):
    """The code a teacher gives out; spaces, dashes and case do not matter."""

    code = StringField(
        "Class code",
        validators=[DataRequired("Type the class code your teacher gave you."), Length(max=32)],
    )
    submit = SubmitField("Join class")
