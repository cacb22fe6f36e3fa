"""Forms of the roadmap pages: framing, submission to a plenary, signature, next edition."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp


class FramingForm(FlaskForm):
    """The framing text of one chapter."""

    sector = HiddenField(validators=[DataRequired()])
    lock_version = HiddenField(validators=[DataRequired()])
    text = TextAreaField(_l("Texte de cadrage (Markdown)"), validators=[Length(max=20_000)])


class SubmitForm(FlaskForm):
    """The plenary whose agenda receives the draft."""

    meeting = SelectField(_l("Séance plénière"), coerce=int, validators=[DataRequired()])


class SignForm(FlaskForm):
    """The hash the head of delegation read and signs."""

    sha256 = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])


class EditionForm(FlaskForm):
    """The year of the next edition."""

    edition_year = IntegerField(_l("Année de la prochaine édition"),
                                validators=[DataRequired(), NumberRange(min=2020, max=2100)])
