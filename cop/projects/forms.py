"""The form of a new project in the registry."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProjectForm(FlaskForm):
    """Name, SIRET, commune, filière, description; confidential with a reason and an announcement date."""

    name = StringField(_l("Nom du projet"), validators=[DataRequired(_l("Le nom du projet est obligatoire.")),
                                                        Length(max=200)])
    sector = SelectField(_l("Filière"), validators=[DataRequired()])
    siret = StringField(_l("SIRET de l’établissement (facultatif)"), validators=[Length(max=20)])
    commune = StringField(_l("Commune (nom, code postal ou code INSEE)"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    sealed = BooleanField(_l("Projet confidentiel : le sceller jusqu’à son annonce"))
    seal_reason = TextAreaField(_l("Pourquoi il est confidentiel (publié avec le sceau)"),
                                validators=[Length(max=1000)])
    announce_on = DateField(_l("Date d’annonce prévue"), validators=[Optional()])
