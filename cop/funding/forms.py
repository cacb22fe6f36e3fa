"""The funders' forms: register a funder (managers), set a budget and answer a request (the funder's delegation)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from cop.funding.models import AnswerStatus
from cop.sites.forms import Number

ANSWER_LABELS = {
    AnswerStatus.GRANTED: _l("Accordée"),
    AnswerStatus.PARTLY_GRANTED: _l("Accordée en partie"),
    AnswerStatus.REFUSED: _l("Refusée"),
    AnswerStatus.UNDER_INSTRUCTION: _l("En instruction"),
}


class FunderForm(FlaskForm):
    """The party that answers one kind of funder's requests."""

    party_id = SelectField(_l("Partie"), coerce=int, validate_choice=False,
                           validators=[InputRequired(_l("Choisissez une partie."))])
    code = SelectField(_l("Répond aux demandes adressées à"))
    answer_days = IntegerField(_l("Délai de réponse (jours après le dépôt)"), default=60,
                               validators=[InputRequired(_l("Indiquez un nombre entier.")), NumberRange(1, 365)])


class BudgetForm(FlaskForm):
    """A budget of the funder for one programme and year."""

    programme = StringField(_l("Programme"), validators=[DataRequired(_l("Nommez le programme.")), Length(max=120)])
    year = IntegerField(_l("Année"), validators=[InputRequired(_l("Indiquez un nombre entier.")),
                                                 NumberRange(2000, 2100)])
    amount = StringField(_l("Montant (€)"), validators=[Number(required=True), Length(max=24)])


class AnswerForm(FlaskForm):
    """The funder's answer to one request."""

    status = SelectField(_l("Réponse"), choices=[SelectChoice(s.value, ANSWER_LABELS[s]) for s in AnswerStatus])
    amount = StringField(_l("Montant accordé en cas d’accord partiel (€)"), validators=[Number(), Length(max=24)])
    budget_id = SelectField(_l("Budget engagé"), coerce=int, validate_choice=False, validators=[Optional()])
    reason = TextAreaField(_l("Motif (obligatoire pour un refus)"), validators=[Length(max=2000)])
    answered_on = DateField(_l("Date de la réponse"), validators=[Optional()], format=["%Y-%m-%d", "%d/%m/%Y"])
