"""Forms of the contract pages: generation (managers), disbursement (the territory or a funder). The signature
uses the roadmap's form (cop/roadmap/forms.SignForm): one way to sign."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from cop.sites.forms import Number

#: Milestone rows offered by the generation form.
MILESTONE_ROWS = 4


class MilestoneForm(Form):
    """One milestone: what, by when, how much it releases."""

    title = StringField(_l("Jalon"), validators=[Length(max=200)])
    due_on = DateField(_l("Échéance"), validators=[Optional()], format="%Y-%m-%d")
    amount = StringField(_l("Montant libéré (€)"), validators=[Number(), Length(max=24)])


class GenerateForm(FlaskForm):
    """The territory and filière of a new contract, and its milestones."""

    party_id = SelectField(_l("Territoire"), validate_choice=False,
                           validators=[InputRequired(_l("Choisissez un territoire."))])
    sector = SelectField(_l("Filière"), validate_choice=False,
                         validators=[InputRequired(_l("Choisissez une filière."))])
    milestones = FieldList(FormField(MilestoneForm), min_entries=MILESTONE_ROWS, max_entries=12)


class DisbursementForm(FlaskForm):
    """Funds paid against one milestone."""

    milestone = IntegerField(_l("Jalon"), validators=[InputRequired(_l("Choisissez le jalon."))])
    amount = StringField(_l("Montant versé (€)"), validators=[Number(required=True), Length(max=24)])
    paid_on = DateField(_l("Date du versement"), validators=[InputRequired(_l("Indiquez la date du versement."))],
                        format="%Y-%m-%d")
    note = TextAreaField(_l("Note (facultative)"), validators=[Length(max=1000)])
