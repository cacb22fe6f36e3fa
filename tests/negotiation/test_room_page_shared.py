"""While a meeting sits, a plain reader's room page (anonymous, or logged in with nothing to do in the meeting) is
rendered once per seq, COP stamp, language and kind of reader, and filled for each page with the clock and the
reader's CSRF token: it is the page that reader would have had, never older than the last event or COP change (or,
with COP_ROOM_PAGE_LAG, events behind by at most that many seconds), never in another language, and never anyone
else's."""
import re
from datetime import timedelta

import pytest
from flask import template_rendered
from itsdangerous import TimestampSigner
from sqlalchemy import event

from cop.db import db, utcnow
from cop.meetings import room_views
from tests.negotiation.conftest import do


def page(client, neg, path="", lang="fr") -> str:
    response = client.get(f"/meetings/{neg.meeting.id}{path}", headers={"Accept-Language": lang})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def built(app):
    """The names of the shared templates rendered during the test (one per build of a shared page)."""
    names = []

    def record(sender, template, context, **extra):
        if template.name in room_views.SHARED_TEMPLATES.values() and "slot" in context:
            names.append(template.name)
    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


def frozen(monkeypatch, when):
    """Every clock the room reads says `when`."""
    monkeypatch.setattr(room_views, "utcnow", lambda: when)


def speaking(neg):
    """Lyon holds the floor, its timer running; Annecy waits."""
    do(neg.u.lyon, neg.meeting, "floor.request")
    do(neg.u.annecy, neg.meeting, "floor.request")
    do(neg.u.chair, neg.meeting, "floor.next")


@pytest.mark.parametrize("reader", [None, "outsider", "observer"])
def test_a_plain_reader_gets_the_page_it_would_have_had(client, auth, neg, make, monkeypatch, reader):
    speaking(neg)
    when = utcnow() + timedelta(seconds=75)  # the speaker's timer at 1 min 15 s
    if reader == "outsider":
        auth.login(make.user(name="Paul Public").email)
    elif reader == "observer":
        auth.login(neg.u.observer.email)
    client.get("/")  # the welcome flash, shown once
    for lang in ("fr", "en"):
        for path in ("", "/projector"):
            frozen(monkeypatch, when)
            # The CSRF token is signed with the second it was made: two pages a second apart would differ by it.
            monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _signer: 1_800_000_000)
            shared = page(client, neg, path, lang)
            monkeypatch.setattr(room_views, "plain_reader", lambda user, meeting: None)
            own = page(client, neg, path, lang)
            monkeypatch.undo()
            assert shared == own
            assert "<!--cop-slot" not in shared
            assert "1 min 15 s / " in shared  # the timer, filled as of the page's moment


def test_readers_share_one_rendering_per_seq_and_the_clock_runs(built, client, neg, monkeypatch):
    speaking(neg)
    start = utcnow()
    frozen(monkeypatch, start + timedelta(seconds=5))
    first = page(client, neg)
    frozen(monkeypatch, start + timedelta(seconds=130))
    later = page(client, neg)
    assert built == ["meetings/_room.html"]  # two readers, one rendering
    assert "Temps utilisé : 5 s / " in first and "Temps utilisé : 2 min 10 s / " in later
    # Lyon's running total moves with the clock in the speaking times' table; Annecy's stays at 0.
    assert f'<tr data-party="{neg.lyon.id}"><th scope="row">Métropole de Lyon</th><td class="num">2 min 10 s</td>' \
        in later
    assert f'<tr data-party="{neg.annecy.id}"><th scope="row">CA du Grand Annecy</th><td class="num">0 s</td>' in later


def test_an_anonymous_reader_never_sees_the_room_older_than_its_last_event_or_cop_change(built, client, neg):
    first = page(client, neg)
    assert "Gaspard Grenoble" not in first and page(client, neg) == first and len(built) == 1

    do(neg.u.grenoble, neg.meeting, "floor.request")  # an event
    assert "Gaspard Grenoble" in page(client, neg) and len(built) == 2
    do(neg.u.chair, neg.meeting, "floor.next")  # another: Grenoble has the floor
    assert "<strong>Grenoble-Alpes-Métropole</strong>" in page(client, neg) and len(built) == 3

    neg.grenoble.name = "Grenoble-Alpes (renommée)"  # a change of the COP outside the journal
    db.session.commit()
    assert "<strong>Grenoble-Alpes (renommée)</strong>" in page(client, neg) and len(built) == 4
    assert "<strong>Grenoble-Alpes (renommée)</strong>" in page(client, neg, "/projector") and len(built) == 5
    page(client, neg)
    page(client, neg, "/projector")
    assert len(built) == 5


def test_french_and_english_never_mix(built, client, neg):
    for _ in range(2):
        french, english = page(client, neg, lang="fr"), page(client, neg, lang="en")
        assert "Liste des orateurs" in french and "Liste des orateurs" not in english
        assert "List of speakers" in english and "List of speakers" not in french
        assert '<html lang="fr"' in french and '<html lang="en"' in english
        projector_fr, projector_en = page(client, neg, "/projector", "fr"), page(client, neg, "/projector", "en")
        assert "Ordre du jour" in projector_fr and "Ordre du jour" not in projector_en
    assert len(built) == 4  # one per language and view, kept for the second round
    # A language chosen with the switch (the session) wins over the browser's, and is its own rendering too.
    client.get("/langue/en")
    assert "List of speakers" in page(client, neg, lang="fr")


def test_a_delegate_never_gets_the_shared_page_nor_the_shared_page_a_delegates(built, client, auth, neg):
    anonymous = page(client, neg)
    auth.login(neg.u.lyon.email)
    mine = page(client, neg)
    # The delegate's page is drawn for them (their controls, their session's token), not from the shared one.
    assert 'data-command="floor.request"' in mine and 'data-command="floor.request"' not in anonymous
    assert len(built) == 1
    auth.logout()
    assert "Vous êtes déconnecté." in page(client, neg)  # the shell and its flashes are each reader's own
    again = page(client, neg)
    # The anonymous page again, from the same rendering (only the new session's CSRF token differs).
    assert without_token(again) == without_token(anonymous) and len(built) == 1
    assert 'data-command="floor.request"' not in again and "Léa Lyon" not in again


def without_token(html: str) -> str:
    """The page without its reader's CSRF token."""
    return re.sub(r'data-csrf="[^"]*"', "", html)


def test_a_watch_only_reader_gets_the_watchers_page_not_the_anonymous_one(built, client, auth, neg, make):
    anonymous = page(client, neg)
    outsider = make.user(name="Paul Public")
    db.session.commit()
    auth.login(outsider.email)
    watcher = page(client, neg)
    assert 'data-token-url="' in watcher and 'data-token-url="' not in anonymous  # a logged-in reader joins live
    assert "Paul Public" in watcher and "Paul Public" not in anonymous  # the shell is the reader's own
    assert built == ["meetings/_room.html", "meetings/_room.html"]  # two kinds of reader, two renderings
    # The observer may do nothing in a plenary either: the same shared page as any watcher.
    auth.logout()
    auth.login(neg.u.observer.email)
    observer = page(client, neg)
    assert "Olga Observatrice" in observer and len(built) == 2
    # The chair may: their page is their own.
    auth.logout()
    auth.login(neg.u.chair.email)
    assert 'data-command="floor.next"' in page(client, neg, "/chair") and len(built) == 2
    assert room_views.plain_reader(neg.u.chair, neg.meeting) is None


def test_a_page_with_a_form_is_never_shared(built, client, neg, monkeypatch):
    """Whatever a plain reader's page would hold, a form (a reader's CSRF token) keeps it the reader's own."""
    monkeypatch.setattr(room_views, "may_for", lambda user, meeting: {"floor_request": True})
    for _ in range(2):
        html = page(client, neg)
        assert 'data-command="floor.request"' in html and "<!--cop-slot" not in html
        token = re.search(r'data-csrf="([^"]+)"', html).group(1)
        assert f'name="csrf_token" value="{token}"' in html  # the reader's own token, in a page drawn for them
    assert len(built) == 1  # tried once for this seq, found to hold a form, and then drawn for each reader


def test_a_warm_anonymous_page_reads_the_meeting_only(built, client, neg, monkeypatch):
    """The statement and rendering budget of a plain reader's page while the meeting sits: no snapshot, no
    negotiation panel, no speakers' or speaking times' query once its seq is built (issue 16, plenary)."""
    speaking(neg)
    snapshots, panels, statements = [], [], []
    real_snapshot, real_panel = room_views.snapshot, room_views.clock_basis
    monkeypatch.setattr(room_views, "snapshot", lambda meeting: snapshots.append(1) or real_snapshot(meeting))
    monkeypatch.setattr(room_views, "clock_basis", lambda meeting: panels.append(1) or real_panel(meeting))
    page(client, neg)  # builds the seq's state and the shared pages
    page(client, neg, "/projector")
    listener = lambda *args, **kwargs: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(5):
            db.session.expire_all()
            page(client, neg)
            page(client, neg, "/projector")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert snapshots == [1] and panels == [1]
    assert built == ["meetings/_room.html", "meetings/projector.html"]
    per_page = len(statements) / 10
    # The meeting (and its stamps, read outside the ORM) — nothing of its COP, the room, the floor or the texts.
    assert per_page <= 2, [s[:40] + " … " + s[-50:] for s in statements]
    tables = {t for s in statements for t in re.findall(r"(?:FROM|JOIN) (\w+)", s)}
    assert tables == {"meeting"}, tables


def test_a_plain_readers_page_may_lag_its_room_by_the_configured_seconds(app, built, client, auth, neg, monkeypatch):
    """With COP_ROOM_PAGE_LAG, a plain reader's page is rendered at most once per that many seconds while events
    come (a vote's ballots): events behind, never another COP stamp; the live view's parts, which the page fetches
    once its live connection is up, and a delegate's page are as of the last event."""
    monkeypatch.setitem(app.config, "COP_ROOM_PAGE_LAG", 60.0)
    now = [1000.0]
    monkeypatch.setattr(room_views.time, "monotonic", lambda: now[0])
    first = page(client, neg)
    seq = re.search(r'data-seq="(\d+)"', first).group(1)
    do(neg.u.grenoble, neg.meeting, "floor.request")  # an event
    now[0] += 30
    lagging = page(client, neg)
    assert "Gaspard Grenoble" not in lagging and len(built) == 1
    assert re.search(r'data-seq="(\d+)"', lagging).group(1) == seq  # the seq it was drawn at
    parts = client.get(f"/meetings/{neg.meeting.id}/live/room").get_json()
    assert parts["seq"] > int(seq) and "Gaspard Grenoble" in str(parts["parts"])
    auth.login(neg.u.lyon.email)
    assert "Gaspard Grenoble" in page(client, neg)  # a delegate's own page: as of the last event
    auth.logout()
    now[0] += 31  # the lag is over: the next plain reader's page is rendered again
    assert "Gaspard Grenoble" in page(client, neg) and len(built) == 2
    do(neg.u.chair, neg.meeting, "floor.next")
    neg.grenoble.name = "Grenoble-Alpes (renommée)"  # a change of the COP outside the journal: never lagged
    db.session.commit()
    assert "<strong>Grenoble-Alpes (renommée)</strong>" in page(client, neg) and len(built) == 3
