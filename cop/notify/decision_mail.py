"""A decision opens in a meeting: an objection window (consensus) or a vote, told to the COP's delegations."""
from flask_babel import gettext as _

from cop.notify.compose import notify_each
from cop.notify.links import link
from cop.notify.preferences import MailKind
from cop.notify.recipients import delegations


def window_opened(meeting, item, window) -> None:
    """The chair proposed adoption by consensus: heads of delegation may object until the window ends."""
    url = link("meetings.show", meeting_id=meeting.id)
    notify_each(delegations(meeting.conference), MailKind.DECISION_OPENED,
                lambda user: f"decision.window:{window.id}:{user.id}",
                lambda: _("Délai d’objection ouvert : %(item)s", item=item.title), "mail/decision_opened.txt",
                meeting=meeting, item=item, ends_dt=window.ends_dt, is_vote=False, url=url)


def vote_opened(meeting, item, vote) -> None:
    """The chair opened a vote: each accredited delegation casts its ballot before the close."""
    url = link("meetings.show", meeting_id=meeting.id)
    notify_each(delegations(meeting.conference), MailKind.DECISION_OPENED,
                lambda user: f"decision.vote:{vote.id}:{user.id}",
                lambda: _("Vote ouvert : %(item)s", item=item.title), "mail/decision_opened.txt",
                meeting=meeting, item=item, question=vote.question, is_vote=True, url=url)
