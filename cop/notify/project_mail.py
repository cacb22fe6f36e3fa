"""Telling a party, a week before, that the presidency will reveal its confidential project at its date."""
from flask_babel import gettext as _

from cop.notify.commitment_mail import filers
from cop.notify.compose import notify
from cop.notify.links import link
from cop.notify.preferences import MailKind


def reveal_planned(project) -> None:
    """Queue one message per filer of the project's party (in the caller's transaction); never its hidden content."""
    url = link("projects.show", conference_id=project.conference_id, number=project.number)
    for user in filers(project.party):
        notify(user, MailKind.COMMITMENT, f"project.warning:{project.id}:{user.id}",
               lambda: _("Révélation prévue du projet confidentiel n° %(n)s", n=project.number),
               "mail/project_warning.txt", project=project, url=url)
