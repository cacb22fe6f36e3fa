"""Delegation forms: an invitation, and a yes/no switch on a member."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, HiddenField, SelectChoice, SelectField
from wtforms.validators import AnyOf, DataRequired, Length

from cop import labels


class InviteForm(FlaskForm):
    """Invite a person by e-mail to one of the roles the inviter may give here."""

    email = EmailField(_l("Adresse électronique de la personne invitée"), validators=[
        DataRequired(_l("Indiquez l'adresse électronique de la personne à inviter.")), Length(max=254)])
    role = SelectField(_l("Rôle"), validate_choice=False)
    language = SelectField(_l("Langue de l’invitation"), default="fr",
                           choices=[("fr", _l("Français (la version anglaise suit)")),
                                    ("en", _l("Anglais (la version française suit)"))])

    def __init__(self, roles: list[str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(code, labels.role(code)) for code in roles]
        self.role.validators = [DataRequired(_l("Choisissez un rôle.")),
                                AnyOf(roles, _l("Choisissez un rôle dans la liste."))]


class SwitchForm(FlaskForm):
    """Turn one right of a member on ("1") or off ("0")."""

    value = HiddenField(validators=[AnyOf(("1", "0"), _l("Valeur attendue : 1 ou 0."))])


class BulkInviteForm(FlaskForm):
    """A CSV file of people to invite."""

    file = FileField(_l("Fichier CSV"), validators=[FileRequired(_l("Choisissez un fichier CSV."))])
    encoding = SelectField(_l("Encodage du fichier"), choices=[
        SelectChoice("utf-8", _l("UTF-8 (recommandé ; « CSV UTF-8 » dans Excel)")),
        SelectChoice("cp1252", _l("Windows-1252 (« CSV (séparateur : point-virgule) » d’Excel sous Windows)"))])
