"""The roadmap's steps told to the parties: submitted to the plenary and adopted (every head of delegation), and
the signature asked of each accredited party's signer (a mandatory message)."""
from flask_babel import gettext as _

from cop.conferences.models import Party
from cop.db import db
from cop.notify.compose import notify, notify_each
from cop.notify.links import link
from cop.notify.preferences import MailKind
from cop.notify.recipients import heads, signers
from cop.rulebook.enums import Accreditation


def submitted(version, meeting) -> None:
    """A draft is on the agenda of a plenary for adoption."""
    conference = version.roadmap.conference
    url = link("roadmap.show", conference_id=conference.id)
    notify_each(heads(conference), MailKind.ROADMAP, lambda user: f"roadmap.submitted:{version.id}:{user.id}",
                lambda: _("Feuille de route soumise à la plénière : %(cop)s", cop=conference.title),
                "mail/roadmap_submitted.txt", version=version, meeting=meeting, conference=conference, url=url,
                meeting_url=link("meetings.show", meeting_id=meeting.id))


def adopted(version) -> None:
    """The plenary adopted a version: every head is told, and each accredited party's signer is asked to sign."""
    conference = version.roadmap.conference
    url = link("roadmap.show", conference_id=conference.id)
    notify_each(heads(conference), MailKind.ROADMAP, lambda user: f"roadmap.adopted:{version.id}:{user.id}",
                lambda: _("Feuille de route adoptée : %(cop)s", cop=conference.title), "mail/roadmap_adopted.txt",
                version=version, conference=conference, url=url)
    parties = db.session.scalars(db.select(Party).filter_by(conference_id=conference.id,
                                                            accreditation=Accreditation.ACCREDITED).order_by(Party.id))
    for party in parties:
        for user in signers(party):
            notify(user, MailKind.SIGNATURE_ASKED, f"roadmap.sign:{version.id}:{party.id}:{user.id}",
                   lambda: _("Signature demandée : feuille de route de %(cop)s", cop=conference.title),
                   "mail/signature_asked.txt", version=version, conference=conference, party=party, url=url)
