"""Forms of the roadmap pages: framing, submission to a plenary, signature, next edition."""
import typing

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (DateField, HiddenField, IntegerField, PasswordField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from cop.roadmap.acts import KIND_LABELS, ActInput, max_bytes


class FramingForm(FlaskForm):
    """The framing text of one chapter."""

    sector = HiddenField(validators=[DataRequired()])
    lock_version = HiddenField(validators=[DataRequired()])
    text = TextAreaField(_l("Texte de cadrage (Markdown)"), validators=[Length(max=20_000)])


class SubmitForm(FlaskForm):
    """The plenary whose agenda receives the draft."""

    meeting = SelectField(_l("Séance plénière"), coerce=int, validators=[DataRequired()])


class SignForm(FlaskForm):
    """The hash the head of delegation read and signs, the act that authorises the signature, the password again."""

    sha256 = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{64}$")])
    act_kind = RadioField(_l("Acte qui autorise la signature"),
                          choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                          validators=[Optional()])
    act_number = StringField(_l("Numéro de l’acte"), validators=[Optional(), Length(max=60)])
    act_date = DateField(_l("Date de l’acte"), validators=[Optional()], format="%Y-%m-%d")
    act_body = StringField(_l("Organe qui l’a adopté (conseil, bureau, délégataire)"),
                           validators=[Optional(), Length(max=200)])
    act_pdf = FileField(_l("PDF de l’acte"))
    password = PasswordField(_l("Votre mot de passe, pour confirmer votre identité"),
                             validators=[DataRequired(_l("Saisissez votre mot de passe pour signer."))])


def act_input(form: SignForm) -> typing.Optional[ActInput]:
    """The act the form carries, or None when the party attached none (the rules say whether it must)."""
    upload = form.act_pdf.data
    given = [form.act_kind.data, form.act_number.data, form.act_body.data, form.act_date.data,
             upload.filename if upload else None]
    if not any(given):
        return None
    data = upload.read(max_bytes() + 1) if upload else b""
    return ActInput(form.act_kind.data or "", form.act_number.data or "", form.act_date.data,
                    form.act_body.data or "", upload.filename if upload else "",
                    upload.mimetype if upload else "", data)


class EditionForm(FlaskForm):
    """The year of the next edition."""

    edition_year = IntegerField(_l("Année de la prochaine édition"),
                                validators=[DataRequired(), NumberRange(min=2020, max=2100)])


class AmendmentForm(FlaskForm):
    """A request to lower signed pledges: which commitment, why (the values come as u-<code> and c-<code>)."""

    commitment_id = IntegerField(validators=[DataRequired()])
    reason_kind = RadioField(_l("Motif"), choices=[], validators=[DataRequired()])
    reason = TextAreaField(_l("Explication (publiée avec la demande)"), validators=[DataRequired(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cop.roadmap.amendments import REASON_LABELS

        self.reason_kind.choices = [SelectChoice(k.value, label) for k, label in REASON_LABELS.items()]
