"""The account page's mail preferences."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from cop.notify.preferences import CHOICES

LABELS = {
    "immediate": _l("Chaque message dès qu’il part (engagements, séances, décisions, feuille de route)"),
    "digest": _l("Un résumé quotidien de ce qui a changé depuis votre dernière visite"),
    "none": _l("Seulement les messages obligatoires (désabonné·e des autres)"),
}


class MailPreferencesForm(FlaskForm):
    """One choice among the two modes and the unsubscribe."""

    choice = RadioField(_l("Les messages que vous recevez"), choices=[(c, LABELS[c]) for c in CHOICES],
                        validators=[InputRequired(_l("Choisissez une des options proposées."))])
