"""The scripted filing run of bench/filing_run.py, in Chromium: a new head of delegation files a whole commitment."""
import importlib.util
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cop.auth.invitations import invite
from cop.commitments.models import Commitment
from cop.db import db
from tests.commitment_helpers import build_world
from tests.live.conftest import free_port

BENCH = Path(__file__).resolve().parents[2] / "bench" / "filing_run.py"


def _bench():
    """The bench module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("filing_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def site(app):
    """The web app alone on a free port."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(10)


def test_new_head_of_delegation_files_a_complete_commitment(app, make, site, browser):
    world = build_world(make)
    epci = make.territory(region=world.conference.region, name="CC des Forges", population=45_000)
    party = make.party(world.conference, epci)
    make.commune(epci, "42187", "Roanne", ("42300",))
    with app.test_request_context():
        secret = invite(world.presidency, world.conference, "nouvelle.cheffe@example.fr", "head_of_delegation", party)
    db.session.commit()
    bench = _bench()
    counts = bench.file_commitment(browser, f"{site}/auth/invitation/{secret}", "Lucie Garnier", "Roanne")
    print(bench.report(counts))
    db.session.expire_all()
    commitment = db.session.scalar(db.select(Commitment).filter_by(party_id=party.id))
    version = commitment.versions[-1]
    assert counts.final_url == f"{site}/cop/{world.conference.id}/engagements/{commitment.id}"
    assert version.status == "submitted" and len(version.pledges) == 3
    assert [s.pledges for s in version.support_requests] == [[version.pledges[0]]]
    assert version.sites[0].commune.code == "42187" and version.pledges[0].conditional_value == 25
    assert counts.loads <= 4 and counts.inputs < 30
