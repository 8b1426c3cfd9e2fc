"""Starts a real `leadgen serve --sandbox` on a fresh SQLite database and a headless Chromium to drive it."""
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def webhook_port():
    """The port of the one receiver on this machine the server may send webhooks to (as localhost)."""
    return free_port()


@pytest.fixture(scope="session")
def server(webhook_port):
    binary = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))
    workdir = tempfile.mkdtemp(prefix="leadgen-e2e-")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_PORT=str(port),
               LEADGEN_HOST="127.0.0.1", LEADGEN_LOG_LEVEL="warning",
               LEADGEN_OUTBOUND_ALLOW=f"localhost:{webhook_port}")
    log = open(os.path.join(workdir, "server.log"), "w")
    # Sandbox mode: the providers are fakes served by the same process, so no vendor keys are needed.
    process = subprocess.Popen([binary, "serve", "--sandbox"], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.close()
            raise RuntimeError("leadgen serve did not start:\n" + open(os.path.join(workdir, "server.log")).read())
        time.sleep(0.2)
    yield base
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()
