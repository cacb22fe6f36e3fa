"""The web app (werkzeug in a thread) and the live server (`python -m cop.live`) on free ports, and Chromium."""
import os
import threading
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from tests.live.conftest import free_port, start_process

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def servers(app):
    """Flask and the live server, sharing the test database; `restart_live()` stops and starts the live one."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    web_port, live_port = free_port(), free_port()
    web_origin = f"http://127.0.0.1:{web_port}"
    app.config.update(COP_LIVE_URL=f"ws://127.0.0.1:{live_port}/live", COP_ALLOWED_ORIGINS=web_origin)
    web = make_server("127.0.0.1", web_port, app, threaded=True)
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    state = SimpleNamespace(base=web_origin, live=start_process(app, live_port, origins=web_origin))

    def stop_live():
        state.live.terminate()
        state.live.wait(10)

    def start_live():
        state.live = start_process(app, live_port, origins=web_origin)

    state.stop_live, state.start_live = stop_live, start_live
    yield state
    state.live.kill()
    state.live.wait(10)
    web.shutdown()
    app.config.update(COP_LIVE_URL="ws://127.0.0.1:5001/live")


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
