"""Real-browser fixtures: the test app served on a free local port, and headless Chromium.

`live_server` is the base URL (the app's BASE_URL points at it during the test, so links the
app builds, such as invitation links, open here). `new_context()` and `new_page()` make
browser contexts (one per user: separate cookies), closed after the test.
"""
import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def _server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture()
def live_server(app, _server):
    previous = app.config["BASE_URL"]
    app.config["BASE_URL"] = _server
    yield _server
    app.config["BASE_URL"] = previous


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_context(browser, live_server):
    """`new_context(**options)` → a fresh browser context on the live server (own cookies)."""
    contexts = []

    def _new_context(**options):
        options.setdefault("base_url", live_server)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield _new_context
    for context in contexts:
        context.close()


@pytest.fixture()
def new_page(new_context):
    """`new_page(**context_options)` → a page in its own fresh context."""

    def _new_page(**options):
        return new_context(**options).new_page()

    return _new_page
