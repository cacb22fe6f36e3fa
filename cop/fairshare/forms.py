"""The presidency's form: the sharing method, the figures file and the weights."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from cop.fairshare.models import ShareMethod

METHOD_LABELS = {ShareMethod.POPULATION: _l("Par population (données de référence)"),
                 ShareMethod.FIGURES: _l("Par chiffres importés, pondérés")}


class BasisForm(FlaskForm):
    """Choose the method; with figures, upload them and weigh each criterion."""

    method = RadioField(_l("Méthode de répartition"), default=ShareMethod.POPULATION.value,
                        choices=[SelectChoice(m.value, METHOD_LABELS[m]) for m in ShareMethod],
                        validators=[InputRequired(_l("Choisissez une méthode."))])
    file = FileField(_l("Chiffres par intercommunalité (CSV)"))
    weights = StringField(_l("Pondérations"), validators=[Length(max=1000)])
    note = TextAreaField(_l("Justification publiée"), validators=[Length(max=2000)])
    seen = HiddenField(default="0")
