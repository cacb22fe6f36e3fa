"""The page cache under writes: each page is invalidated by what concerns it, never later, and only by that."""
import re
import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, select

from cop import create_app
from cop.commitments import submission
from cop.config import TestConfig
from cop.db import db
from cop.meetings.models import AgendaItem, FloorRequest, Meeting
from cop.meetings.services import run_command
from cop.public import cache, queries, scopes, stamp
from cop.public.models import PublicationStamp
from tests import portal_data


@pytest.fixture
def portal():
    data = portal_data.build()
    db.session.commit()
    return data


def tokens() -> dict[str, str]:
    """Every stamp, by scope."""
    db.session.expire_all()
    return dict(db.session.execute(select(PublicationStamp.scope, PublicationStamp.token)).all())


def cached_urls(portal) -> list[str]:
    """One URL of every cached page and API answer."""
    cop, epci, sector = portal.conference.id, portal.epci.code, portal.sectors[0].code
    return ["/", "/mon-territoire?q=Saint", f"/portail/territoires/epci/{epci}", f"/portail/cop/{cop}",
            f"/portail/cop/{cop}/filieres/{sector}", "/recherche?q=friche", f"/flux/cop/{cop}.atom",
            f"/flux/cop/{cop}/decisions.atom", f"/flux/territoires/epci/{epci}.atom", "/opendata/",
            "/api/v1/conferences", f"/api/v1/conferences/{cop}", f"/api/v1/conferences/{cop}/commitments",
            f"/api/v1/conferences/{cop}/commitments/{portal.accepted.id}", f"/api/v1/conferences/{cop}/synthesis",
            f"/api/v1/conferences/{cop}/meetings", f"/api/v1/conferences/{cop}/fair-shares",
            f"/api/v1/conferences/{cop}/rules", f"/api/v1/conferences/{cop}/sites",
            f"/api/v1/conferences/{cop}/support-answers", f"/api/v1/conferences/{cop}/roadmap/versions",
            "/api/v1/territories", f"/api/v1/territories/epci/{epci}", "/api/v1/openapi.json"]


def test_cached_pages_read_only_tables_whose_writes_renew_their_stamps(app, client, portal):
    names = {table.name for table in db.metadata.sorted_tables}
    read: set[str] = set()
    seen: set[str] = set()
    filing_only: set[str] = set()
    territorial: set[str] = set()

    def sniff(conn, cursor, statement, parameters, context, executemany):
        # Table names as SQLAlchemy writes them (FROM t, JOIN t, t.column); a column follows a dot, a label "AS".
        read.update(word for word in re.findall(r"(?<![.\w])(?<!as )([a-z_]+)", statement.lower()) if word in names)

    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        for url in cached_urls(portal):
            app.extensions.pop("cop_page_cache", None)
            read.clear()
            assert client.get(url).status_code == 200, url
            with app.test_request_context(url):
                depends = cache.dependencies()
            assert not read & scopes.UNREAD, (url, read & scopes.UNREAD)
            assert "floor_request" not in read or "speaking" in depends, url
            if f"cop:{portal.conference.id}" not in depends and f"filing:{portal.conference.id}" in depends \
                    or "/filieres/" in url:  # a page that follows the COP's filing stamps (and identity) only
                per_cop = scopes.OWN_CONFERENCE | set(scopes.PARENTS)
                assert read & per_cop <= scopes.FILING | {"conference_identity"}, (url, read & per_cop)
                filing_only.add(url)
            if "parties" in depends:  # a territory's answer: its parties' rows, what it shows of their COPs
                per_cop = scopes.OWN_CONFERENCE | set(scopes.PARENTS)
                shown = scopes.BY_PARTY | scopes.PARTY_COMMON | scopes.SHARES | {"floor_request"}  # turns: "speaking"
                assert read & per_cop <= shown, (url, read & per_cop)
                assert not {"all", f"cop:{portal.conference.id}"} & set(depends), url
                territorial.add(url)
            seen |= read
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
    assert {"commitment", "pledge", "decision", "meeting", "floor_request", "territory"} <= seen  # the sniffer sees
    assert len(filing_only) == 3  # the filière page, the API's commitments and synthesis
    assert len(territorial) == 3  # the territory's page, feed and API answer


def test_acceptance_renews_its_cop_and_the_national_pages_only(app, client, portal, make):
    other = make.conference(make.region("11", "Île-de-France", 12_000_000), phase="call_for_commitments")
    db.session.commit()
    version = portal.stepped.versions[-1]
    pages = {url: client.get(url).get_data() for url in (f"/portail/cop/{portal.conference.id}",
                                                          f"/portail/cop/{other.id}", "/")}
    before = tokens()
    presidency = make.member(portal.conference, "presidency")
    db.session.commit()
    assert tokens() == before  # a membership shows on no cached page
    submission.review(presidency, version, True, "Bien étayé.")
    db.session.commit()
    after = tokens()
    assert after[f"cop:{portal.conference.id}"] != before[f"cop:{portal.conference.id}"]
    assert after["all"] != before["all"]
    assert after["global"] == before["global"] and after[f"cop:{other.id}"] == before[f"cop:{other.id}"]
    assert "cop:?" not in after  # every row of the acceptance was attributed to its COP
    url = f"/portail/cop/{portal.conference.id}"
    assert client.get(url).get_data() != pages[url]
    assert client.get(f"/portail/cop/{other.id}").get_data() == pages[f"/portail/cop/{other.id}"]
    key = ("localhost", f"/portail/cop/{other.id}?", "fr")
    entry = app.extensions["cop_page_cache"].get(key)
    assert entry is not None and entry[0] == stamp.current(db.engine, ("global", f"cop:{other.id}", "cop:?"))


@pytest.fixture
def sitting(make):
    """A COP in negotiation with an open public plenary, its chair and a delegate."""
    conf = make.conference(phase="negotiation")
    party = make.party(conf, name="CA du Pays Voironnais")
    chair = make.member(conf, "presidency")
    delegate = make.member(conf, "head_of_delegation", party)
    meeting = Meeting(conference_id=conf.id, kind="plenary", title="Plénière", chair_id=chair.id, is_public=True,
                      starts_dt=datetime(2027, 3, 1, 9, tzinfo=timezone.utc))
    db.session.add(meeting)
    db.session.flush()
    db.session.add(AgendaItem(meeting_id=meeting.id, position=1, title="Ordre du jour"))
    db.session.commit()
    return conf, meeting, chair, delegate


def command(meeting, user, name, **args):
    """Run a live command through the domain function the live server calls, and commit."""
    event_row, _ = run_command(meeting.id, user, name, args)
    db.session.commit()
    return event_row


def test_live_commands_renew_only_what_they_change(app, sitting):
    conf, meeting, chair, delegate = sitting
    command(meeting, chair, "meeting.open")
    opened = tokens()
    assert f"cop:{conf.id}" in opened  # the meeting's state shows on its COP's page
    command(meeting, delegate, "floor.request")
    request_id = db.session.scalar(select(FloorRequest.id))
    command(meeting, chair, "floor.give", request_id=request_id)
    assert tokens() == opened  # journal, sequence number, a waiting request: no cached page shows them
    command(meeting, chair, "floor.next")
    ended = tokens()
    assert ended["speaking"] != opened.get("speaking")  # a finished turn counts on the territory's page
    assert ended[f"cop:{conf.id}"] == opened[f"cop:{conf.id}"] and ended["all"] == opened["all"]


def _other_app(app):
    """A second application on the same database: another worker, with its own cache and connections."""
    config = type("OtherWorker", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    return create_app(config)


def test_no_worker_serves_a_page_older_than_the_last_commit_that_concerns_it(app, portal):
    other = _other_app(app)
    conference_id, done, failures = portal.conference.id, threading.Event(), []
    committed = {"n": 0}

    def write():
        with app.app_context():
            from cop.conferences.models import Conference

            for n in range(1, 40):
                db.session.get(Conference, conference_id).title = f"COP revision {n}"
                db.session.commit()
                committed["n"] = n
                time.sleep(0.01)
        done.set()

    def read(worker):
        client = worker.test_client()
        while not done.is_set():
            floor = committed["n"]
            for url in (f"/portail/cop/{conference_id}", f"/api/v1/conferences/{conference_id}", "/"):
                body = client.get(url).get_data(as_text=True)
                shown = [int(x) for x in re.findall(r"COP revision (\d+)", body)] or [0]
                if max(shown) < floor:
                    failures.append((url, max(shown), floor))

    readers = [threading.Thread(target=read, args=(worker,)) for worker in (app, other, other)]
    writer = threading.Thread(target=write)
    for thread in (*readers, writer):
        thread.start()
    for thread in (writer, *readers):
        thread.join(120)
    with other.app_context():
        db.engine.dispose()
    assert committed["n"] == 39 and not failures, failures[:5]


def test_concurrent_misses_of_a_page_build_it_once(app, portal, monkeypatch):
    from cop.commitments import synthesis

    real, builds = synthesis.rows_of, []

    def slow(*args, **kwargs):
        builds.append(1)
        time.sleep(0.3)
        return real(*args, **kwargs)

    monkeypatch.setattr(synthesis, "rows_of", slow)
    url, start, bodies = f"/portail/cop/{portal.conference.id}", threading.Barrier(6), []

    def get():
        client = app.test_client()
        start.wait()
        response = client.get(url)
        bodies.append((response.status_code, response.get_data()))

    threads = [threading.Thread(target=get) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(bodies) == 6 and {status for status, _ in bodies} == {200} and len({b for _, b in bodies}) == 1
    assert len(builds) == 1


def test_the_cached_synthesis_reads_only_what_renews_its_filing_stamp(app, portal):
    from cop.commitments import synthesis

    names = {table.name for table in db.metadata.sorted_tables}
    per_cop = scopes.OWN_CONFERENCE | set(scopes.PARENTS) | scopes.UNREAD | {"floor_request"}
    read: set[str] = set()

    def sniff(conn, cursor, statement, parameters, context, executemany):
        read.update(word for word in re.findall(r"(?<![.\w])(?<!as )([a-z_]+)", statement.lower()) if word in names)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        synthesis.compute(portal.conference)
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
    assert {"pledge", "target", "site", "territory"} <= read
    assert read & per_cop <= scopes.FILING  # the rest is reference data, under "global"


def test_a_meeting_opening_keeps_the_synthesis_a_filing_renews_it(app, client, portal, make):
    from cop.commitments import synthesis

    real, builds = synthesis.rows_of, []
    url = f"/portail/cop/{portal.conference.id}"

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)

    def section(page: str) -> str:
        return page[page.index('id="synthese"'):page.index('id="parties"')]

    before = section(client.get(url).get_data(as_text=True))
    synthesis.rows_of = counting
    try:
        meeting = db.session.scalar(select(Meeting).filter_by(is_public=True))
        meeting.title = "Plénière de clôture"
        db.session.commit()
        assert "Plénière de clôture" in client.get(url).get_data(as_text=True) and builds == []
        presidency = make.member(portal.conference, "presidency")
        submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")
        db.session.commit()
        after = section(client.get(url).get_data(as_text=True))
        assert builds == [1] and after != before
    finally:
        synthesis.rows_of = real


def _synthesis_of(page: str) -> str:
    return page[page.index('id="synthese"'):page.index('id="parties"')]


def test_each_filiere_of_the_synthesis_is_rebuilt_only_when_its_own_data_changes(app, client, portal, make):
    """An acceptance renews its filière's stamp only; the page then recomputes that filière alone, and the
    synthesis assembled from cached and rebuilt filières is always the one computed from scratch."""
    from cop.commitments import synthesis
    from cop.commitments.models import Commitment, CommitmentVersion
    from cop.conferences.models import Target

    cop, (first, second, third) = portal.conference, portal.sectors[:3]
    url = f"/portail/cop/{cop.id}"
    presidency = make.member(cop, "presidency")
    head = make.member(cop, "head_of_delegation", portal.party)
    db.session.commit()
    real, calls = synthesis.rows_of, []

    def counting(conference, sector_id=None, **kwargs):
        calls.append(sector_id)
        return real(conference, sector_id, **kwargs)

    def check(step: str) -> None:
        """The page as served (cached filières reused) equals the page built with every cache empty."""
        served = _synthesis_of(client.get(url).get_data(as_text=True))
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        assert served == _synthesis_of(client.get(url).get_data(as_text=True)), step

    check("start")
    hostile = db.session.scalar(select(Commitment).filter_by(conference_id=cop.id, sector_id=second.id))
    pending = db.session.scalar(select(CommitmentVersion).filter_by(commitment_id=hostile.id, status="submitted"))
    before = tokens()
    submission.review(presidency, pending, True, "")
    db.session.commit()
    after = tokens()
    assert after[f"filing:{cop.id}:{second.id}"] != before.get(f"filing:{cop.id}:{second.id}")
    assert after.get(f"filing:{cop.id}:{first.id}") == before.get(f"filing:{cop.id}:{first.id}")
    assert after.get(f"filing:{cop.id}:?") == before.get(f"filing:{cop.id}:?")
    synthesis.rows_of = counting
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        synthesis.rows_of = real
    assert calls == [second.id] and "10" in _synthesis_of(page)
    app.extensions.pop("cop_page_cache", None)
    app.extensions.pop("cop_part_cache", None)
    assert _synthesis_of(client.get(url).get_data(as_text=True)) == _synthesis_of(page)

    steps = [
        ("a target in a third filière", lambda: make.target(cop, third, portal.indicators[0], 77)),
        ("a target changed", lambda: setattr(db.session.scalar(select(Target).filter_by(
            conference_id=cop.id, sector_id=first.id)), "value", 1234)),
        ("the step back accepted", lambda: submission.review(presidency, portal.stepped.versions[-1], True, "")),
        ("a commitment withdrawn", lambda: submission.withdraw(head, portal.accepted, "Projet abandonné.")),
        ("a target removed", lambda: db.session.delete(db.session.scalar(select(Target).filter_by(
            conference_id=cop.id, sector_id=third.id)))),
    ]
    for step, write in steps:
        client.get(url)  # every filière cached before the write
        write()
        db.session.commit()
        check(step)


def test_only_reference_data_renews_the_global_stamp():
    """Every table is classified on purpose: a table left out would renew "global" and so every cached page (the
    mail outbox did, at each acceptance that notified a delegation)."""
    names = {table.name for table in db.metadata.sorted_tables}
    global_ = names - scopes.UNREAD - scopes.OWN_CONFERENCE - set(scopes.PARENTS)
    reference = {"territory", "commune", "commune_arrondissement", "commune_postcode", "sector", "indicator"}
    assert global_ == reference | {"support_request_pledge"}  # that one a link table, written with its request
    assert scopes.SHARES <= scopes.FILING and scopes.BY_SECTOR <= scopes.FILING


def test_the_kept_fair_shares_read_only_what_renews_their_stamp(app, portal):
    from cop.fairshare import compare

    names = {table.name for table in db.metadata.sorted_tables}
    per_cop = scopes.OWN_CONFERENCE | set(scopes.PARENTS) | scopes.UNREAD | {"floor_request"}
    read: set[str] = set()

    def sniff(conn, cursor, statement, parameters, context, executemany):
        read.update(word for word in re.findall(r"(?<![.\w])(?<!as )([a-z_]+)", statement.lower()) if word in names)

    db.session.expire_all()
    assert portal.conference.id  # the COP itself, loaded before: the shares read only its id
    event.listen(db.engine, "before_cursor_execute", sniff)
    try:
        targets, by_party = compare.share_table(portal.conference)
    finally:
        event.remove(db.engine, "before_cursor_execute", sniff)
    assert targets and by_party and {"target", "party", "territory", "fair_share_basis"} <= read
    assert read & per_cop <= scopes.SHARES  # the rest is reference data, under "global"


def test_a_live_vote_renews_nothing_until_it_closes_and_the_published_result_then_shows(app, client, make):
    """Casts and changes of an open vote renew no stamp (its count is never published while it runs); its close
    renews its COP's pages, and the meetings' answer then shows the result: never the answer of before."""
    from tests.negotiation.conftest import build, do
    from tests.negotiation.test_votes import clean, open_vote

    neg = build(make, decision_mode="vote")
    neg.meeting.is_public = True
    db.session.commit()
    clean(neg)
    url = f"/api/v1/conferences/{neg.meeting.conference_id}/meetings"
    vote = open_vote(neg)
    client.get(url)
    opened = tokens()
    for user, choice in ((neg.u.lyon, "yes"), (neg.u.grenoble, "no"), (neg.u.annecy, "yes")):
        do(user, neg.meeting, "vote.cast", vote_id=vote["id"], choice=choice)
    do(neg.u.annecy, neg.meeting, "vote.change", vote_id=vote["id"], choice="abstain")
    assert tokens() == opened
    assert client.get(url).get_json()["items"][0]["votes"] == []  # an open vote's count is not published
    do(neg.u.chair, neg.meeting, "vote.close", vote_id=vote["id"])
    assert tokens()[f"cop:{neg.meeting.conference_id}"] != opened[f"cop:{neg.meeting.conference_id}"]
    result = client.get(url).get_json()["items"][0]["votes"][0]
    assert (result["yes"], result["no"], result["abstain"]) == (1, 1, 1)


def test_an_acceptance_leaves_the_pages_of_another_cops_territories(app, client, portal, make):
    """A territory's page follows the COPs it is a party of: an acceptance elsewhere keeps it; one in its COP, a
    party of it in a new COP, renew it."""
    from cop.public import cache as page_cache

    elsewhere = make.conference(make.region("11", "Île-de-France", 12_000_000), phase="call_for_commitments")
    outsider = make.party(elsewhere, make.territory(name="CA Paris-Saclay", population=320_000,
                                                    region=elsewhere.region))
    presidency = make.member(portal.conference, "presidency")
    db.session.commit()
    ours, theirs = f"/portail/territoires/epci/{portal.other_epci.code}", \
        f"/portail/territoires/epci/{outsider.territory.code}"
    etags = {url: client.get(url).headers["ETag"] for url in (ours, theirs)}
    submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")
    db.session.commit()
    assert client.get(theirs).headers["ETag"] == etags[theirs]  # kept: same tokens, same answer
    page = client.get(ours)
    assert page.headers["ETag"] != etags[ours] and "Accepté" in page.get_data(as_text=True)
    with app.test_request_context(theirs):
        assert "all" not in page_cache.dependencies()
    make.party(portal.conference, outsider.territory)  # the territory joins a second COP
    db.session.commit()
    assert "COP industrielle Auvergne" in client.get(theirs).get_data(as_text=True)


def test_a_territory_page_follows_its_own_party_and_what_it_shows_of_its_cop(app, client, portal, make):
    """An acceptance of another party's commitment in the same COP keeps a territory's page and feed (its party's
    stamp, what every party's page shows and the COP's shares are unchanged); after each write that concerns it,
    the page served is the one built with every cache empty (never older than the last commit that concerns it)."""
    from cop.commitments.models import PartyPrioritySector
    from cop.conferences.models import Conference, Target
    from cop.followup.models import ProgressReport

    cop, party = portal.conference, portal.party
    urls = (f"/portail/territoires/epci/{portal.epci.code}", f"/flux/territoires/epci/{portal.epci.code}.atom",
            f"/api/v1/territories/epci/{portal.epci.code}")
    presidency = make.member(cop, "presidency")
    head = make.member(cop, "head_of_delegation", party)
    db.session.commit()
    kept = (f"party:{party.id}", f"party-common:{cop.id}", f"shares:{cop.id}", "parties")
    etags = {url: client.get(url).headers["ETag"] for url in urls}
    before = tokens()
    submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")  # another party's
    db.session.commit()
    after = tokens()
    assert after[f"cop:{cop.id}"] != before[f"cop:{cop.id}"]
    assert after[f"party:{portal.stepped.party_id}"] != before.get(f"party:{portal.stepped.party_id}")
    assert [after.get(scope) for scope in kept] == [before.get(scope) for scope in kept]
    for url in urls:
        assert client.get(url).headers["ETag"] == etags[url], url  # kept: same tokens, same answer

    def check(step: str) -> None:
        """Each answer as served equals the one built with every cache empty."""
        served = {url: client.get(url).get_data() for url in urls}
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        for url in urls:
            assert client.get(url).get_data() == served[url], (step, url)

    def page_tokens() -> tuple:
        """The tokens the territory's page is kept under."""
        with app.test_request_context(urls[0]):
            return stamp.current(db.engine, cache.dependencies(), cache.lookup())

    report = db.session.scalar(select(ProgressReport).filter_by(party_id=party.id))
    steps = [
        ("its commitment withdrawn", lambda: submission.withdraw(head, portal.accepted, "Projet abandonné.")),
        ("its priority's reason", lambda: setattr(db.session.scalar(select(PartyPrioritySector).filter_by(
            party_id=party.id)), "reason", "Raison révisée")),
        ("its progress report", lambda: setattr(report, "achieved_value", 321)),
        ("the COP renamed", lambda: setattr(db.session.get(Conference, cop.id), "title", "COP renommée")),
        ("a public meeting renamed", lambda: setattr(db.session.scalar(select(Meeting).filter_by(
            conference_id=cop.id, is_public=True)), "title", "Plénière renommée")),
        ("a regional target changed", lambda: setattr(db.session.scalar(select(Target).filter_by(
            conference_id=cop.id)), "value", 4321)),
        ("a new party (the shares change)", lambda: make.party(cop, make.territory(
            name="CC Nouvelle", population=90_000, region=cop.region))),
    ]
    for step, write in steps:
        for url in urls:
            client.get(url)  # cached before the write
        before = page_tokens()
        write()
        db.session.commit()
        assert page_tokens() != before, step  # the write concerns the page: its stamps are renewed
        check(step)
    assert "COP renommée" in client.get(urls[0]).get_data(as_text=True)


@pytest.fixture
def workers(app):
    """gunicorn with two worker processes on the test database: two page caches, two connection pools."""
    import os
    import signal
    import subprocess
    import sys
    import urllib.request

    from tests.live.conftest import ROOT, free_port

    port = free_port()
    env = dict(os.environ, COP_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="workers",
               COP_ENV="development")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}",
                             "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("gunicorn did not start: " + proc.stderr.read().decode()[-2000:])
    yield base
    proc.send_signal(signal.SIGTERM)
    proc.wait(20)


def test_no_worker_process_serves_a_page_older_than_the_last_commit_that_concerns_it(app, portal, workers, make):
    """Two gunicorn worker processes, four threads each, read while this process commits: after each commit
    returns, every answer (COP page, filière page, API, home, a territory's page) shows it or a later one."""
    import urllib.request

    from cop.commitments.models import CommitmentVersion
    from cop.conferences.models import Conference

    conference_id, sector = portal.conference.id, portal.sectors[0].code
    presidency = make.member(portal.conference, "presidency")
    db.session.commit()
    pending = db.session.scalar(select(CommitmentVersion.id).filter_by(status="submitted"))
    urls = [f"/portail/cop/{conference_id}", f"/portail/cop/{conference_id}/filieres/{sector}",
            f"/api/v1/conferences/{conference_id}", "/", f"/portail/territoires/epci/{portal.epci.code}"]
    committed, done, failures, served = {"n": 0}, threading.Event(), [], []

    def read():
        while not done.is_set():
            for url in urls:
                floor = committed["n"]
                with urllib.request.urlopen(workers + url, timeout=30) as response:
                    body = response.read().decode()
                shown = max([int(x) for x in re.findall(r"COP revision (\d+)", body)] or [0])
                served.append(url)
                if shown < floor:
                    failures.append((url, shown, floor))

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    try:
        for n in range(1, 31):
            db.session.get(Conference, conference_id).title = f"COP revision {n}"
            if n == 10:  # an acceptance among the revisions: it renews one filière's part, the pages with it
                submission.review(presidency, db.session.get(CommitmentVersion, pending), True, "")
            db.session.commit()
            committed["n"] = n
            time.sleep(0.03)
    finally:
        done.set()
        for thread in readers:
            thread.join(60)
    assert len(served) >= 2 * len(urls) and not failures, failures[:5]


def test_a_filiere_page_follows_its_filiere_the_cop_itself_and_its_identity_only(app, client, portal, make):
    """An acceptance in another filière keeps a filière's page (same ETag); one in its filière, a change of the
    COP or of its identity renews it, and the page then shows the change."""
    from cop.commitments.models import Commitment, CommitmentVersion
    from cop.identity.models import ConferenceIdentity

    cop, (first, second) = portal.conference, portal.sectors[:2]
    presidency = make.member(cop, "presidency")
    db.session.commit()
    url = f"/portail/cop/{cop.id}/filieres/{first.code}"

    def pending_in(sector):
        return db.session.scalar(select(CommitmentVersion).join(Commitment).where(
            Commitment.conference_id == cop.id, Commitment.sector_id == sector.id,
            CommitmentVersion.status == "submitted"))

    etag = client.get(url).headers["ETag"]
    submission.review(presidency, pending_in(second), True, "")
    db.session.commit()
    assert client.get(url).headers["ETag"] == etag
    before = client.get(url).get_data(as_text=True)
    submission.review(presidency, pending_in(first), True, "Bien étayé.")
    db.session.commit()
    page = client.get(url)
    assert page.headers["ETag"] != etag and page.get_data(as_text=True) != before
    app.extensions.pop("cop_page_cache", None)
    assert client.get(url).get_data() == page.get_data()  # what was served is what a fresh build shows
    cop.title = "COP revision filière"
    db.session.commit()
    assert "COP revision filière" in client.get(url).get_data(as_text=True)
    db.session.add(ConferenceIdentity(conference_id=cop.id, organisation="Région organisatrice du banc"))
    db.session.commit()
    assert "Région organisatrice du banc" in client.get(url).get_data(as_text=True)


def test_a_decision_keeps_the_answers_that_show_filing_data_only(app, client, portal, make):
    """The API's commitments and synthesis follow the COP's filing stamp: a meeting renamed keeps them (same ETag)
    while the COP page changes; an acceptance renews them and they show it."""
    cop = portal.conference.id
    urls = (f"/api/v1/conferences/{cop}/commitments", f"/api/v1/conferences/{cop}/synthesis")
    etags = {url: client.get(url).headers["ETag"] for url in urls}
    meeting = db.session.scalar(select(Meeting).filter_by(is_public=True))
    meeting.title = "Plénière renommée"
    db.session.commit()
    assert "Plénière renommée" in client.get(f"/portail/cop/{cop}").get_data(as_text=True)
    assert {url: client.get(url).headers["ETag"] for url in urls} == etags
    presidency = make.member(portal.conference, "presidency")
    submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")
    db.session.commit()
    listed = client.get(urls[0])
    assert listed.headers["ETag"] != etags[urls[0]] and client.get(urls[1]).headers["ETag"] != etags[urls[1]]
    stepped = next(c for c in listed.get_json()["items"] if c["id"] == portal.stepped.id)
    assert stepped["status"] == "accepted"


def _outcomes_of(page: str) -> str:
    return page[page.index('id="seances"'):]


def test_a_cop_page_keeps_its_meetings_and_decisions_through_an_acceptance_and_rebuilds_them_on_a_decision(
        app, client, portal, make):
    """The meetings, decisions and roadmap of a COP page are a part kept under "outcomes:<id>": an acceptance
    (filing data) keeps it and the page shows the acceptance; a new decision renews it and the page shows it; the
    page as served always equals the page built with every cache empty."""
    from cop.meetings.models import AgendaItem
    from cop.negotiation.decisions.models import Decision

    cop = portal.conference
    url = f"/portail/cop/{cop.id}"
    real, calls = queries.decisions_page, []

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    def fresh() -> str:
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        return client.get(url).get_data(as_text=True)

    first = client.get(url).get_data(as_text=True)
    before = tokens()
    queries.decisions_page = counting
    try:
        presidency = make.member(cop, "presidency")
        submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")
        db.session.commit()
        after = tokens()
        assert after[f"cop:{cop.id}"] != before[f"cop:{cop.id}"]
        assert after.get(f"outcomes:{cop.id}") == before.get(f"outcomes:{cop.id}")  # an acceptance is filing data
        page = client.get(url).get_data(as_text=True)
        assert page != first and calls == []  # the figures changed, the decisions were not read again
        assert _outcomes_of(page) == _outcomes_of(first)
        meeting = db.session.scalar(select(Meeting).filter_by(conference_id=cop.id, is_public=True))
        item = AgendaItem(meeting_id=meeting.id, position=9, title="Point ajouté", state="done")
        db.session.add(item)
        db.session.flush()
        db.session.add(Decision(conference_id=cop.id, number=2, meeting_id=meeting.id, agenda_item_id=item.id,
                                mode="vote", outcome="adopted", text="La COP adopte **le point ajouté**."))
        db.session.commit()
        assert tokens()[f"outcomes:{cop.id}"] != after.get(f"outcomes:{cop.id}")
        assert tokens()[f"filing:{cop.id}"] == after[f"filing:{cop.id}"]  # a decision is not filing data
        page = client.get(url).get_data(as_text=True)
        assert calls == [1] and "<strong>le point ajouté</strong>" in page
        assert page == fresh()
    finally:
        queries.decisions_page = real


def test_a_cop_page_with_a_query_string_builds_its_outcomes_for_itself(app, client, portal):
    """Page links keep the other query arguments: with a query string, the outcomes are built for the request and
    not kept, so varied query strings cannot push the shared parts out."""
    url = f"/portail/cop/{portal.conference.id}"
    plain = client.get(url).get_data(as_text=True)
    kept = set(app.extensions["cop_part_cache"])
    page = client.get(url + "?nom=Voiron&seances=1").get_data(as_text=True)
    assert set(app.extensions["cop_part_cache"]) == kept
    assert _outcomes_of(page) == _outcomes_of(plain)  # one page of each list: the same links


def test_the_kept_outcomes_of_a_cop_page_read_only_what_renews_their_stamps(app, portal):
    """What the outcomes part reads beside reference data: tables whose writes renew "outcomes:<id>" (any COP
    table outside FILING) and the conference row ("filing:<id>:?")."""
    names = {table.name for table in db.metadata.sorted_tables}
    read: set[str] = set()

    def sniff(conn, cursor, statement, parameters, context, executemany):
        read.update(word for word in re.findall(r"(?<![.\w])(?<!as )([a-z_]+)", statement.lower()) if word in names)

    url = f"/portail/cop/{portal.conference.id}"
    with app.test_request_context(url):
        from cop.public import views

        db.session.expire_all()
        item = db.session.get(type(portal.conference), portal.conference.id)
        event.listen(db.engine, "before_cursor_execute", sniff)
        try:
            views._kept_sections(item)
        finally:
            event.remove(db.engine, "before_cursor_execute", sniff)
    per_cop = scopes.OWN_CONFERENCE | set(scopes.PARENTS)
    assert {"decision", "meeting", "roadmap_version"} <= read
    assert read & per_cop & scopes.FILING <= {"conference"}, read


def test_the_home_page_counts_again_only_the_cop_that_changed_and_redraws_its_map_only_when_a_cop_does(
        app, client, make, portal):
    """After an acceptance, the home page shows the new figures of that COP, counted for it alone; the map is
    drawn again only when a COP's own row (here its phase) changes; the page served equals the page built with
    every cache empty."""
    other = make.conference(make.region("11", "Île-de-France", 12_000_000), phase="call_for_commitments")
    presidency = make.member(portal.conference, "presidency")
    db.session.commit()
    real, counted = queries.headlines, []

    def counting(conference_ids=None):
        counted.append(sorted(conference_ids))
        return real(conference_ids)

    def fresh() -> str:
        app.extensions.pop("cop_page_cache", None)
        app.extensions.pop("cop_part_cache", None)
        return client.get("/").get_data(as_text=True)

    def map_of(page: str) -> str:
        return page[page.index('<figure class="region-map">'):page.index("</figure>")]

    from cop.public import regionmap

    first = client.get("/").get_data(as_text=True)
    real_insets, drawn = regionmap.insets, []
    queries.headlines = counting
    regionmap.insets = lambda: drawn.append(1) or real_insets()
    try:
        submission.review(presidency, portal.stepped.versions[-1], True, "Bien étayé.")
        db.session.commit()
        page = client.get("/").get_data(as_text=True)
        assert page != first and counted == [[portal.conference.id]] and drawn == []
        assert page == fresh()
        kept_map = map_of(page)
        client.get("/")
        counted.clear()
        drawn.clear()
        other.phase = "negotiation"
        db.session.commit()
        page = client.get("/").get_data(as_text=True)
        assert map_of(page) != kept_map and counted == [[other.id]] and drawn == [1]
        assert page == fresh()
    finally:
        queries.headlines, regionmap.insets = real, real_insets
