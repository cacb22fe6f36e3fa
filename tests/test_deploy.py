"""deploy/ for real: nginx (TLS) → gunicorn and two live processes; a browser and live clients go through it, and
a live process stopped with SIGTERM sends its clients (1012) to the other one with nothing lost."""
import asyncio
import re
import signal
import threading
import time

import pytest
from playwright.sync_api import expect

from cop.db import db
from cop.live import tokens
from cop.meetings.models import Meeting, MeetingEvent
from tests.browser.conftest import CHROMIUM_ARGS, browser  # noqa: F401  (a fixture)
from tests.browser.test_live_meeting import _login, _meeting
from tests.deploy_stack import Stack, get, insecure
from tests.live.resilient import Resilient

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def stack(app, tmp_path):
    made = Stack(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"], app.config["SECRET_KEY"])
    try:
        yield made.start()
    finally:
        made.stop()


def test_nginx_serves_pages_static_files_health_and_redirects(stack, make):
    meeting, _, _ = _meeting(make)
    status, headers, body = get(f"{stack.base}/meetings/{meeting.id}", headers={"X-Request-Id": "ignored-by-nginx"})
    assert status == 200 and re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-Id"]), "nginx's $request_id"
    script = re.search(rb'src="(/static/js/live-client\.js\?v=[0-9a-f]{12})"', body).group(1).decode()
    status, headers, _ = get(stack.base + script)
    assert status == 200 and "immutable" in headers["Cache-Control"] and "X-Request-Id" not in headers
    assert get(f"{stack.base}/healthz")[2] == b'{"status":"ok"}\n'
    status, headers, _ = get(f"http://127.0.0.1:{stack.http_port}/cop?x=1")
    assert status == 301 and headers["Location"] == f"{stack.base}/cop?x=1"
    lines = (stack.dir / "web.log").read_text(encoding="utf-8").splitlines()
    assert any('"route": "/meetings/<int:meeting_id>"' in line and '"status": 200' in line for line in lines)


def test_browser_and_clients_through_nginx_survive_a_live_sigterm(stack, browser, make, app):  # noqa: F811
    meeting, chair, delegate = _meeting(make)
    context = browser.new_context(locale="fr-FR", ignore_https_errors=True)
    chair_page = context.new_page()
    _login(chair_page, stack.base, chair.email)
    delegate_page = browser.new_context(locale="fr-FR", ignore_https_errors=True).new_page()
    _login(delegate_page, stack.base, delegate.email)
    chair_page.goto(f"{stack.base}/meetings/{meeting.id}/chair")
    delegate_page.goto(f"{stack.base}/meetings/{meeting.id}")
    for page in (chair_page, delegate_page):
        expect(page.locator("#live-status")).to_have_attribute("data-state", "online")
    chair_page.get_by_role("button", name="Ouvrir la séance").click()
    expect(delegate_page.locator("#live-state")).to_have_text("Ouverte")

    url = f"wss://127.0.0.1:{stack.https_port}/live"
    secret, nonce = app.config["SECRET_KEY"], chair.session_nonce
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()  # the clients' own loop: Playwright's sync API holds this thread's

    def on_loop(coro, timeout=60):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout)

    watchers = [Resilient([url], meeting.id, origin=stack.base, ssl=insecure()) for _ in range(40)]
    chair_client = Resilient([url], meeting.id, lambda: tokens.issue(secret, chair.id, meeting.id, nonce),
                             origin=stack.base, ssl=insecure(), tag="chair")
    clients = [*watchers, chair_client]

    async def connect_all():
        tasks = [asyncio.create_task(c.run()) for c in clients]
        await asyncio.wait_for(asyncio.gather(*(c.synced.wait() for c in clients)), 30)
        return tasks

    async def command(client, name):
        _, answer = client.command(name)
        return await asyncio.wait_for(answer, 20)

    tasks = on_loop(connect_all())
    try:
        spread = [stack.live_health(p)["connections"] for p in stack.live_ports]
        assert all(n > 0 for n in spread), f"least_conn spreads the connections: {spread}"
        for page in (chair_page, delegate_page):  # which pages the stopped process held, to count them
            page.evaluate("""() => { const s = document.getElementById('live-status'); window.wentOffline = false;
                new MutationObserver(records => {
                    if (records.some(r => r.oldValue === 'offline')) window.wentOffline = true; })
                    .observe(s, {attributeFilter: ['data-state'], attributeOldValue: true}); }""")
        first = stack.live_ports[0]
        stack.lives[first].send_signal(signal.SIGTERM)
        assert on_loop(command(chair_client, "item.next"))["type"] == "ack"
        assert stack.lives[first].wait(15) == 0
        # The browser pages reconnected (through nginx, to the remaining process) and act on.
        for page in (chair_page, delegate_page):
            expect(page.locator("#live-status")).to_have_attribute("data-state", "online", timeout=20000)
        pages_moved = sum(page.evaluate("window.wentOffline") for page in (chair_page, delegate_page))
        delegate_page.get_by_role("button", name="Demander la parole").click()
        expect(chair_page.locator("#live-speakers")).to_contain_text("Métropole de Lyon (Nadia Benali)")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with app.app_context():
                last = db.session.get(Meeting, meeting.id).last_seq
            if all(c.seq == last for c in clients):
                break
            time.sleep(0.1)
    finally:
        async def stop_all():
            await asyncio.gather(*(c.stop() for c in clients), return_exceptions=True)
            await asyncio.gather(*tasks, return_exceptions=True)
        on_loop(stop_all())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    moved = [c for c in clients if 1012 in c.close_codes]
    # Every connection the stopped process held (clients and browser pages alike) was told to reconnect, and
    # no other one was closed before the test closed them all (1000).
    assert moved and len(moved) + pages_moved == spread[0], "the stopped process told its clients to reconnect"
    assert all(c.close_codes in ([1000], [1012, 1000]) for c in clients), [c.close_codes for c in clients]
    assert all(c.seq == last and not c.gaps and not c.duplicates for c in clients)
    db.session.expire_all()
    names = db.session.scalars(db.select(MeetingEvent.name).filter_by(meeting_id=meeting.id)
                               .order_by(MeetingEvent.seq)).all()
    assert names == ["meeting.opened", "item.opened", "floor.requested"]
