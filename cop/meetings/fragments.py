"""The parts of the live pages, drawn by the server in the reader's language after each event.

Shared parts (no reader's own control, no CSRF token) are rendered once per (meeting, seq, language, view) and kept
in a small per-process cache: a hundred readers of the room cost one rendering per event and language.
"""
from collections import OrderedDict
from threading import Lock

from flask import current_app, render_template
from flask_babel import get_locale, lazy_gettext as _l

from cop.meetings import bp, minutes
from cop.meetings.models import Meeting
from cop.meetings.state import snapshot

#: The parts each view redraws (ids "live-<part>" in the page).
PARTS = {"room": ("state", "agenda", "floor", "speakers", "time", "delegate_actions"),
         "chair": ("state", "agenda", "floor", "speakers", "time", "chair_actions"),
         "projector": ("state", "agenda", "floor", "stage")}
CACHE_SIZE = 512
SAY_LAST = 30
#: The chair console's buttons, in the order shown: shown when the meeting's state allows the command.
CHAIR_COMMANDS = (
    ("meeting.open", _l("Ouvrir la séance"), ""),
    ("item.next", _l("Point suivant"), ""),
    ("floor.next", _l("Orateur suivant"), ""),
    ("timer.stop", _l("Arrêter le chronomètre"), "button-secondary"),
    ("timer.start", _l("Relancer le chronomètre"), "button-secondary"),
    ("meeting.suspend", _l("Suspendre la séance"), "button-secondary"),
    ("meeting.resume", _l("Reprendre la séance"), ""),
    ("meeting.close", _l("Lever la séance"), "button-danger"),
)


class _Cache:
    """A bounded mapping, least recently used out first, safe across threads."""

    def __init__(self, size: int):
        self.size, self.rows, self.lock = size, OrderedDict(), Lock()

    def get(self, key):
        """The stored value, or None."""
        with self.lock:
            if key in self.rows:
                self.rows.move_to_end(key)
                return self.rows[key]
        return None

    def put(self, key, value) -> None:
        """Store a value, forgetting the oldest beyond the size."""
        with self.lock:
            self.rows[key] = value
            while len(self.rows) > self.size:
                self.rows.popitem(last=False)


def _cache() -> _Cache:
    """This app's cache of shared parts."""
    return current_app.extensions.setdefault("cop_live_parts", _Cache(CACHE_SIZE))


@bp.app_template_global()
def chair_commands() -> list[tuple[str, str, str]]:
    """The chair console's buttons, labelled in the reader's language."""
    return [(name, str(label), cls) for name, label, cls in CHAIR_COMMANDS]


def render_parts(meeting: Meeting, view: str) -> dict[str, str]:
    """The live parts of a view as HTML, shared by all its readers: every guarded control drawn hidden, no CSRF
    token, no command id (live-room.js reveals the reader's own controls and fills the form's fields)."""
    context = dict(meeting=meeting, state=snapshot(meeting), view=view, reader=None, shared=True, may={},
                   csrf_token=lambda: "", command_id="")
    return {name: render_template("meetings/_part.html", part=name, **context) for name in PARTS[view]}


@bp.app_template_global()
def recent_sayings(meeting: Meeting, count: int = 8) -> list[dict]:
    """The last sentences of the meeting, newest first (the announcements a page opens with)."""
    return list(reversed(sayings(meeting, meeting.last_seq)[-count:]))


def sayings(meeting: Meeting, upto: int) -> list[dict]:
    """The last events' sentences up to seq `upto`, in the reader's language."""
    return [{"seq": seq, "at": at.isoformat(), "text": text}
            for seq, at, text, _actor in minutes.record(meeting, since=max(0, upto - SAY_LAST), upto=upto)]


def shared(meeting: Meeting, view: str) -> dict:
    """The shared parts and sentences of a view at the meeting's last seq, rendered once per language."""
    # The creation time tells a meeting from another that reused its id (a restored or re-created database);
    # the version changes with agenda edits, which journal no event.
    key = (meeting.id, meeting.created_dt.isoformat(), meeting.version, meeting.last_seq, str(get_locale()), view)
    cached = _cache().get(key)
    if cached is None:
        cached = {"seq": meeting.last_seq, "parts": render_parts(meeting, view),
                  "say": sayings(meeting, meeting.last_seq)}
        _cache().put(key, cached)
    return cached
