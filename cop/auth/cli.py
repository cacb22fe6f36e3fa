"""`flask --app wsgi cop user revoke|disable|enable EMAIL`: an administrator ends an account's sessions."""
import click
from flask.cli import AppGroup

from cop.db import db

user_cli = AppGroup("user", help="Comptes : fin des sessions, désactivation.")


def _user(email: str):
    """The account of this address, or a clear CLI error."""
    from cop.auth.models import User
    from cop.auth.services import normalize_email
    from cop.errors import Invalid

    try:
        user = db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))
    except Invalid as error:
        raise click.ClickException(error.message) from error
    if user is None:
        raise click.ClickException(f"Aucun compte pour {email}.")
    return user


@user_cli.command("revoke")
@click.argument("email")
def revoke(email: str) -> None:
    """End every web session and live connection of the account (within a few seconds for live ones)."""
    from cop.auth.services import revoke_sessions

    user = _user(email)
    revoke_sessions(user)
    db.session.commit()
    click.echo(f"Sessions de {user.email} révoquées.")


@user_cli.command("disable")
@click.argument("email")
def disable(email: str) -> None:
    """Disable the account: no login, every session and live connection ends."""
    from cop.auth.services import set_disabled

    user = _user(email)
    set_disabled(user, True)
    db.session.commit()
    click.echo(f"Compte {user.email} désactivé.")


@user_cli.command("enable")
@click.argument("email")
def enable(email: str) -> None:
    """Enable a disabled account again."""
    from cop.auth.services import set_disabled

    user = _user(email)
    set_disabled(user, False)
    db.session.commit()
    click.echo(f"Compte {user.email} réactivé.")
