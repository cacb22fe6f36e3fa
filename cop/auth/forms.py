"""Account forms: login, invitation acceptance, password reset and change."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from cop.auth.services import MIN_PASSWORD_LENGTH

_SHORT = _l("Le mot de passe doit compter au moins %(n)s caractères.", n=MIN_PASSWORD_LENGTH)


def _email() -> EmailField:
    """One's own e-mail address (browsers may fill it in)."""
    return EmailField(_l("Adresse électronique"), render_kw={"autocomplete": "email"}, validators=[
        DataRequired(_l("Indiquez votre adresse électronique.")), Length(max=254)])


def _password(label=_l("Mot de passe"), missing=_l("Indiquez votre mot de passe.")) -> PasswordField:
    """An existing password, checked against the account."""
    return PasswordField(label, render_kw={"autocomplete": "current-password"},
                         validators=[DataRequired(missing), Length(max=500)])


def _new_password(label=_l("Nouveau mot de passe")) -> PasswordField:
    """A new password: long enough, not absurdly long."""
    return PasswordField(label, render_kw={"autocomplete": "new-password"}, validators=[
        DataRequired(_l("Choisissez un mot de passe.")), Length(min=MIN_PASSWORD_LENGTH, max=500, message=_SHORT)])


def _confirmation() -> PasswordField:
    """The same password typed twice."""
    return PasswordField(_l("Confirmez le mot de passe"), render_kw={"autocomplete": "new-password"}, validators=[
        DataRequired(_l("Saisissez le mot de passe une seconde fois.")),
        EqualTo("password", _l("Les deux mots de passe ne sont pas identiques.")),
    ])


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = _email()
    password = _password()


class NewAccountForm(FlaskForm):
    """An invitee without an account chooses a name and a password."""

    name = StringField(_l("Nom et prénom"), render_kw={"autocomplete": "name"}, validators=[
        DataRequired(_l("Indiquez votre nom.")), Length(max=200, message=_l("200 caractères au plus."))])
    password = _new_password(_l("Mot de passe"))
    confirm = _confirmation()


class ExistingAccountForm(FlaskForm):
    """An invitee with an account proves it with the password."""

    password = _password()


class ConfirmForm(FlaskForm):
    """A logged-in invitee only confirms (the form carries the CSRF token)."""


class ResetRequestForm(FlaskForm):
    """The address to send a reset link to."""

    email = _email()


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = _new_password()
    confirm = _confirmation()


class ChangePasswordForm(FlaskForm):
    """The current password, then the new one typed twice."""

    current = _password(_l("Mot de passe actuel"), _l("Indiquez votre mot de passe actuel."))
    password = _new_password()
    confirm = _confirmation()
