"""The reveal schedule: warn each party a week before its announcement date, then reveal at that date.

`run(now)` takes the clock as an argument (`cop seal reveal-due --now`, tests): what it does depends on `now`
only, and running it twice at the same time does nothing more.
"""
from datetime import datetime

from cop.audit.services import record
from cop.db import db
from cop.notify import project_mail
from cop.projects import operations
from cop.projects.models import Project
from cop.rulebook.states import project_reveal_due


def warn(project: Project, now: datetime) -> None:
    """Tell the party's filers, in their language, that the presidency will reveal the project at its date."""
    project_mail.reveal_planned(project)
    project.warned_dt = now
    record("project.warned", "project", project.id, conference_id=project.conference_id,
           data={"number": project.number, "seal": project.seal_digest, "announce_on": project.announce_on})


def run(now: datetime) -> tuple[list[Project], list[Project]]:
    """Warn the parties whose date comes within the notice, reveal the projects that are due: (warned, revealed)."""
    warned, revealed = [], []
    for project in operations.hidden_projects():
        if project.warned_dt is None and now.date() >= project.announce_on - operations.NOTICE:
            warn(project, now)
            warned.append(project)
        if project_reveal_due(project, now, operations.NOTICE):
            operations.publish(project, None, now)
            revealed.append(project)
    db.session.flush()
    return warned, revealed
