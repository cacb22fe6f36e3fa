"""Atom feeds: new and revised commitments of a COP and of a territory; a COP's decisions and roadmap versions."""
from datetime import datetime, timezone

from flask import abort, make_response, render_template, url_for
from markupsafe import Markup, escape
from sqlalchemy import select

from cop.commitments.models import Commitment
from cop.conferences.models import Party
from cop.db import db
from cop.loaders import get_conference
from cop.markdown import render
from cop.public import bp, feed_entries
from cop.public.cache import published
from cop.territories.models import TERRITORY_KINDS, Territory


@bp.app_template_filter("rfc3339")
def rfc3339(value: datetime | None) -> str:
    """A timestamp as Atom wants it; naive values are UTC (SQLite returns them so)."""
    return _aware(value or datetime(2020, 1, 1, tzinfo=timezone.utc)).isoformat(timespec="seconds")


def _aware(value: datetime) -> datetime:
    """A timestamp with its time zone (naive ones are UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@bp.app_template_filter("escaped_markdown")
def escaped_markdown(text: str) -> Markup:
    """Sanitised HTML of user Markdown, escaped once more for an Atom `type="html"` element."""
    return escape(str(render(text)))


def _feed(title: str, self_url: str, alternate: str, entries: list[dict]):
    """Render the Atom document."""
    updated = max((e["updated"] for e in entries if e["updated"]), default=None, key=_aware)
    body = render_template("public/feed.xml", title=title, self_url=self_url, alternate=alternate,
                           entries=entries, updated=updated)
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@bp.get("/flux/cop/<int:conference_id>.atom")
@published
def conference_feed(conference_id: int):
    """New and revised commitments of a COP."""
    conference = get_conference(conference_id)
    return _feed(f"{conference.title} — engagements", url_for(".conference_feed", conference_id=conference.id,
                                                                _external=True),
                 url_for(".conference", conference_id=conference.id, _external=True),
                 feed_entries.commitment_versions(Commitment.conference_id == conference.id))


@bp.get("/flux/cop/<int:conference_id>/decisions.atom")
@published
def outcomes_feed(conference_id: int):
    """A COP's decisions and adopted roadmap versions."""
    conference = get_conference(conference_id)
    return _feed(f"{conference.title} — décisions et feuille de route",
                 url_for(".outcomes_feed", conference_id=conference.id, _external=True),
                 url_for(".conference", conference_id=conference.id, _external=True),
                 feed_entries.outcomes(conference.id))


@bp.get("/flux/territoires/<kind>/<code>.atom")
@published
def territory_feed(kind: str, code: str):
    """New and revised commitments of a territory, in every COP it is a party of."""
    territory = db.session.scalar(select(Territory).filter_by(kind=kind, code=code)) if kind in TERRITORY_KINDS \
        else None
    if territory is None:
        abort(404)
    return _feed(f"{territory.name} — engagements", url_for(".territory_feed", kind=kind, code=code, _external=True),
                 url_for(".territory", kind=kind, code=code, _external=True),
                 feed_entries.commitment_versions(Party.territory_id == territory.id))
