"""The browser extension end to end: Chromium loads the unpacked extension, its options page connects it to a
running Leadgen (CORS for its own origin, `LEADGEN_EXTENSION_IDS`), its popup reads a local page with three
people on it, marks the one Leadgen already knows, and captures them with a tag into a sequence; a second
capture changes nothing."""
import functools
import hashlib
import http.server
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import threading
import urllib.request
import zipfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_sandbox import BINARY, call, free_port, wait_for

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "integrations" / "chrome_extension"
SEQUENCE = {"name": "Captured from LinkedIn", "steps": [{"id": "hello", "type": "email", "subject": "Hi {{first_name}}",
                                                       "body": "Hello {{first_name}}"}]}


def extension_id(path):
    """The id Chrome gives an unpacked extension: the SHA-256 of its absolute path, 32 hex digits written a–p."""
    digest = hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


@pytest.fixture(scope="module")
def setup():
    workdir = tempfile.mkdtemp(prefix="leadgen-extension-")
    # The extension as published: the Web Store zip that scripts/package-extension builds, unpacked. Its
    # toolbar button would grant it the page through `activeTab`; a test cannot press that button, so this
    # copy is granted the test page's host instead: `localhost`, while Leadgen answers at 127.0.0.1, so the
    # extension reaches Leadgen through CORS alone, as a user's does.
    built = subprocess.run([str(ROOT / "scripts" / "package-extension"), workdir], capture_output=True, text=True,
                           check=True).stdout.split()[0]
    unpacked = pathlib.Path(workdir) / "extension"
    with zipfile.ZipFile(built) as archive:
        archive.extractall(unpacked)
    manifest = json.loads((unpacked / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://localhost/*"]
    (unpacked / "manifest.json").write_text(json.dumps(manifest))
    ext_id = extension_id(unpacked)

    pages = pathlib.Path(workdir) / "pages"
    pages.mkdir()
    shutil.copy(EXTENSION / "test" / "fixtures" / "team-page.html", pages / "team.html")
    page_server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(pages)))
    threading.Thread(target=page_server.serve_forever, daemon=True).start()
    page_url = f"http://localhost:{page_server.server_address[1]}/team.html"

    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_PORT=str(port),
               LEADGEN_HOST="127.0.0.1", LEADGEN_LOG_LEVEL="warning", LEADGEN_EXTENSION_IDS=ext_id)
    key = subprocess.run([BINARY, "apikey", "create", "--workspace", "default"], env=env, cwd=workdir,
                         capture_output=True, text=True, check=True).stdout.strip().split()[-1]
    server = subprocess.Popen([BINARY, "serve"], env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900",
                     f"--load-extension={unpacked}", f"--disable-extensions-except={unpacked}"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = None
    try:
        wait_for(lambda: urllib.request.urlopen(base + "/readyz", timeout=2).status == 200, 30)
        driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)
        driver.implicitly_wait(0)
        yield {"base": base, "key": key, "ext": f"chrome-extension://{ext_id}", "page": page_url, "driver": driver}
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=20)
        page_server.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def leads(setup):
    status, page = call(setup["base"], setup["key"], "GET", "/api/v1/leads?limit=100")
    assert status == 200
    return {lead["email"]: lead for lead in page["data"]}


def events(setup, lead_id):
    return call(setup["base"], setup["key"], "GET", f"/api/v1/leads/{lead_id}/events")[1]["data"]


def screenshot(driver, name):
    """The popup as the docs show it, when LEADGEN_E2E_SCREENSHOTS names a folder."""
    folder = os.environ.get("LEADGEN_E2E_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        driver.find_element(By.TAG_NAME, "body").screenshot(os.path.join(folder, f"{name}.png"))


def open_popup(setup):
    """Opens the popup as a page, on the tab that shows the test page (the toolbar would pick the active one)."""
    driver = setup["driver"]
    driver.switch_to.window(setup["page_window"])
    driver.get(setup["page"])
    driver.switch_to.window(setup["popup_window"])
    driver.get(f"{setup['ext']}/popup.html")
    tab = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "chrome.tabs.query({}).then(tabs => done((tabs.find(t => (t.url || '').startsWith(arguments[0])) || {}).id));",
        setup["page"])
    assert tab, "the test page's tab"
    driver.get(f"{setup['ext']}/popup.html?tab={tab}")
    WebDriverWait(driver, 20).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#people li.person")) == 3
        and d.find_element(By.ID, "sequence").find_elements(By.TAG_NAME, "option")[1:])


def people(driver):
    return {item.find_element(By.CSS_SELECTOR, ".name").text: item
            for item in driver.find_elements(By.CSS_SELECTOR, "#people li.person")}


def test_the_extension_captures_a_pages_people_once_with_tags_and_a_sequence(setup):
    driver, base, key = setup["driver"], setup["base"], setup["key"]
    status, known = call(base, key, "POST", "/api/v1/leads", {
        "first_name": "Marcus", "last_name": "Webb", "email": "marcus.webb@contoso-logistics.example",
        "owner": "rita@ourteam.example", "tags": ["met-at-expo"]})
    assert status == 201
    status, sequence = call(base, key, "POST", "/api/v1/sequences", SEQUENCE)
    assert status == 201
    # Paused, so the server's worker sends nothing while the test looks: enrolments are what is checked.
    assert call(base, key, "POST", f"/api/v1/sequences/{sequence['id']}/pause")[0] == 200

    # Set-up: the options page keeps the server and key, and "Test connection" calls GET /api/v1/me.
    driver.get(f"{setup['ext']}/options.html")
    driver.find_element(By.ID, "server-url").send_keys(base)
    driver.find_element(By.ID, "api-key").send_keys(key)
    driver.find_element(By.ID, "test").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "result").text.startswith("Connected"))
    assert "role" in driver.find_element(By.ID, "result").text
    screenshot(driver, "extension-options")

    setup["popup_window"] = driver.current_window_handle
    driver.switch_to.new_window("tab")
    setup["page_window"] = driver.current_window_handle
    open_popup(setup)
    shown = people(driver)
    assert sorted(shown) == ["Chen Wei", "Marcus Webb", "Olivia Brandt"]
    assert "known" in shown["Marcus Webb"].get_attribute("class")
    facts = shown["Marcus Webb"].find_element(By.CSS_SELECTOR, ".known-facts").text
    assert "New" in facts and "rita@ourteam.example" in facts and "met-at-expo" in facts
    assert not shown["Olivia Brandt"].find_elements(By.CSS_SELECTOR, ".known-facts")
    assert "1 already in Leadgen" in driver.find_element(By.ID, "summary").text

    driver.find_element(By.ID, "tags").send_keys("from-extension, q1")
    Select(driver.find_element(By.ID, "sequence")).select_by_visible_text(SEQUENCE["name"])
    screenshot(driver, "extension-popup")
    driver.find_element(By.ID, "capture").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "message").text == "Captured.")
    outcomes = {name: item.find_element(By.CSS_SELECTOR, ".outcome").text for name, item in people(driver).items()}
    assert outcomes["Olivia Brandt"].startswith("Added to Leadgen") and "enrolled" in outcomes["Olivia Brandt"]
    assert outcomes["Marcus Webb"].startswith("Merged into the lead Leadgen had")
    screenshot(driver, "extension-captured")

    stored = leads(setup)
    assert sorted(stored) == ["chen.wei@contoso-logistics.example", "marcus.webb@contoso-logistics.example",
                              "olivia.brandt@contoso-logistics.example"]
    assert stored["marcus.webb@contoso-logistics.example"]["id"] == known["id"]
    assert stored["marcus.webb@contoso-logistics.example"]["tags"] == ["from-extension", "met-at-expo", "q1"]
    for lead in stored.values():
        assert {"from-extension", "q1"} <= set(lead["tags"])
    olivia = stored["olivia.brandt@contoso-logistics.example"]
    assert olivia["linkedin_url"] == "https://www.linkedin.com/in/olivia-brandt-emea"
    assert olivia["title"] == "Director of Sales, EMEA"
    assert any(event["detail"] and f"extension:{setup['page']}" in event["detail"] for event in events(setup, olivia["id"]))
    _, enrolled = call(base, key, "GET", f"/api/v1/sequences/{sequence['id']}/enrollments")
    assert sorted(e["lead_id"] for e in enrolled["data"]) == sorted(lead["id"] for lead in stored.values())

    # A second capture, popup opened afresh: everyone is known now, and nothing changes.
    before = {email: (lead["updated_at"], len(events(setup, lead["id"]))) for email, lead in stored.items()}
    open_popup(setup)
    shown = people(driver)
    assert all("known" in item.get_attribute("class") for item in shown.values())
    assert driver.find_element(By.ID, "tags").get_attribute("value") == "from-extension, q1", "the draft is kept"
    driver.find_element(By.ID, "capture").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_element(By.ID, "message").text == "Captured.")
    outcomes = [item.find_element(By.CSS_SELECTOR, ".outcome").text for item in people(driver).values()]
    assert all(text.startswith("Already in Leadgen, nothing new") for text in outcomes), outcomes
    assert all("already in this sequence" in text for text in outcomes), outcomes
    after = {email: (lead["updated_at"], len(events(setup, lead["id"]))) for email, lead in leads(setup).items()}
    assert after == before
    _, enrolled_again = call(base, key, "GET", f"/api/v1/sequences/{sequence['id']}/enrollments")
    assert len(enrolled_again["data"]) == 3


def test_other_extensions_get_no_access(setup):
    """CORS is per extension: another extension id gets no access, and the API says nothing to its origin."""
    request = urllib.request.Request(setup["base"] + "/api/v1/me", method="OPTIONS", headers={
        "Origin": "chrome-extension://" + "a" * 32, "Access-Control-Request-Method": "GET"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            headers = response.headers
    except urllib.error.HTTPError as error:
        headers = error.headers
    assert headers.get("Access-Control-Allow-Origin") is None
