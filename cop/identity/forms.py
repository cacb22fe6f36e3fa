"""The identity form of a COP."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional


class IdentityForm(FlaskForm):
    """Name, colour, contact and logo of the organiser; empty fields take the deployment's values."""

    organisation = StringField(_l("Nom de l’organisateur (la Région)"), validators=[Optional(), Length(max=160)])
    colour = StringField(_l("Couleur principale (#rrvvbb)"), validators=[Optional(), Length(max=7)])
    contact = StringField(_l("Contact (adresse, courriel ou téléphone)"), validators=[Optional(), Length(max=300)])
    logo = FileField(_l("Logo (PNG, JPEG ou WebP, 512 Ko au plus)"))
    logo_alt = StringField(_l("Texte de remplacement du logo"), validators=[Optional(), Length(max=160)])
    remove_logo = BooleanField(_l("Retirer le logo actuel"))
