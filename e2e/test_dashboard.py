"""A person's first hour: create the owner account, import an Apollo export, find the leads."""
import base64
import csv
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import threading
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "database/seeds/apollo-export.csv"
EMAIL = "owner@leadgen.example"
PASSWORD = "correct horse battery"


def wait_for_next_page(browser, page):
    """Waits until `page` (the old document's root) is gone. Chrome sometimes answers a question about a node
    of the document it is leaving with "Node with given id does not belong to the document" instead of a
    stale-element error: that means gone too."""
    def gone(driver):
        try:
            return EC.staleness_of(page)(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    WebDriverWait(browser, 10).until(gone)


def first_seed_person():
    with open(SEED, newline="", encoding="utf-8") as f:
        row = next(csv.DictReader(f))
    return f"{row['First Name']} {row['Last Name']}", row["Email"].lower()


def test_setup_import_and_find_leads(server, browser):
    browser.get(server + "/")
    WebDriverWait(browser, 10).until(EC.url_contains("/setup"))
    browser.find_element(By.NAME, "name").send_keys("Olive Owner")
    browser.find_element(By.NAME, "email").send_keys(EMAIL)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/leads"))
    assert EMAIL in browser.find_element(By.CLASS_NAME, "who").text

    browser.get(server + "/imports/new")
    browser.find_element(By.NAME, "file").send_keys(str(SEED))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda driver: driver.find_element(By.ID, "import-status").text in ("succeeded", "failed"))
    assert browser.find_element(By.ID, "import-status").text == "succeeded"
    assert browser.find_element(By.ID, "rows-read").text == "301"
    assert browser.find_element(By.ID, "rows-rejected").text == "7"
    created = int(browser.find_element(By.ID, "leads-created").text)
    assert created > 200
    rejects = browser.find_element(By.CLASS_NAME, "rejects").text
    assert "51" in rejects and "e-mail has no single @" in rejects
    save_screenshot(browser, "import")

    name, email = first_seed_person()
    browser.get(server + "/leads")
    search = browser.find_element(By.NAME, "q")
    search.send_keys(email)
    search.submit()
    table = browser.find_element(By.CLASS_NAME, "leads")
    assert email in table.text
    assert name in table.text
    browser.find_element(By.LINK_TEXT, name).click()
    WebDriverWait(browser, 10).until(EC.title_contains(name))
    assert "imported" in browser.find_element(By.CLASS_NAME, "events").text
    save_screenshot(browser, "lead")

    browser.get(server + "/leads")
    assert f"{created} in all" in browser.find_element(By.TAG_NAME, "h1").text
    save_screenshot(browser, "leads")


def test_logout_and_login_again(server, browser):
    browser.get(server + "/leads")
    browser.find_element(By.CSS_SELECTOR, ".logout button").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/login"))
    browser.get(server + "/leads")
    assert "/login" in browser.current_url

    browser.find_element(By.NAME, "email").send_keys(EMAIL)
    browser.find_element(By.NAME, "password").send_keys("wrong password!")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    assert "The e-mail or password is wrong." in browser.find_element(By.CLASS_NAME, "error").text

    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/leads"))
    assert browser.find_elements(By.CSS_SELECTOR, "table.leads tbody tr")


def test_source_enrich_and_sync_from_the_dashboard(server, browser):
    """With the sandbox standing in for Apollo and HubSpot, a new user finds people, enriches them within a
    budget and syncs them to HubSpot without leaving the dashboard."""
    browser.get(server + "/pipeline")
    assert "Sandbox mode" in browser.find_element(By.TAG_NAME, "main").text
    form = browser.find_element(By.ID, "search-form")
    form.find_element(By.NAME, "location").send_keys("Germany")
    form.find_element(By.NAME, "seniority").send_keys("vp")
    max_field = form.find_element(By.NAME, "max")
    max_field.clear()
    max_field.send_keys("30")
    form.find_element(By.NAME, "name").send_keys("German VPs")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda driver: "added" in driver.find_element(By.CSS_SELECTOR, "#searches .last-run").text)
    assert "30 added" in browser.find_element(By.CSS_SELECTOR, "#searches .last-run").text

    form = browser.find_element(By.ID, "enrich-form")
    form.find_element(By.NAME, "budget").send_keys("20")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, "#enrichments .run-status").text
        in ("succeeded", "budget_exhausted", "failed"))
    row = browser.find_element(By.CSS_SELECTOR, "#enrichments tbody tr").text
    assert browser.find_element(By.CSS_SELECTOR, "#enrichments .run-status").text == "budget_exhausted"
    assert "20 / 20" in row

    form = browser.find_element(By.ID, "sync-form")
    form.find_element(By.NAME, "all").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 60).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, "#syncs .run-status").text.startswith(
            ("succeeded", "failed")))
    assert browser.find_element(By.CSS_SELECTOR, "#syncs .run-status").text == "succeeded"
    created = int(browser.find_elements(By.CSS_SELECTOR, "#syncs tbody tr td")[4].text)
    assert created > 0
    save_screenshot(browser, "pipeline")


def test_the_owner_adds_a_colleague_and_changes_their_role(server, browser):
    browser.get(server + "/team")
    assert "Team" in browser.find_element(By.TAG_NAME, "h1").text

    def submit(button):
        """Clicks a form's button and waits for the page it leads to (the old one's elements go stale)."""
        page = browser.find_element(By.TAG_NAME, "html")
        button.click()
        wait_for_next_page(browser, page)

    def colleague_row():
        return browser.find_element(By.XPATH, "//tr[td[contains(., 'colleague@leadgen.example')]]")

    add = browser.find_element(By.CSS_SELECTOR, "form[action='/team/users']")
    add.find_element(By.NAME, "email").send_keys("colleague@leadgen.example")
    add.find_element(By.NAME, "name").send_keys("Cal Colleague")
    add.find_element(By.NAME, "password").send_keys("another long password")
    add.find_element(By.NAME, "role").send_keys("viewer")
    submit(add.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert colleague_row().find_element(By.CSS_SELECTOR, "select[name=role]").get_attribute("value") == "viewer"

    colleague_row().find_element(By.CSS_SELECTOR, "select[name=role]").send_keys("admin")
    submit(colleague_row().find_element(By.CSS_SELECTOR, "form[action$='/role'] button"))
    assert colleague_row().find_element(By.CSS_SELECTOR, "select[name=role]").get_attribute("value") == "admin"

    # The only owner cannot step down; the page says why.
    mine = browser.find_element(By.XPATH, "//tr[td[contains(., '(you)')]]")
    mine.find_element(By.CSS_SELECTOR, "select[name=role]").send_keys("member")
    submit(mine.find_element(By.CSS_SELECTOR, "form[action$='/role'] button"))
    assert "only owner" in browser.find_element(By.CLASS_NAME, "error").text
    save_screenshot(browser, "team")


def test_an_admin_adds_a_webhook_and_its_test_event_arrives_signed(server, browser, webhook_port):
    """The secret the page shows once verifies the test event a real receiver gets, as docs/api.md shows."""
    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict((k.lower(), v) for k, v in self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = http.server.HTTPServer(("127.0.0.1", webhook_port), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://localhost:{webhook_port}/hook"
    try:
        browser.get(server + "/webhooks")
        assert "Webhooks" in browser.find_element(By.TAG_NAME, "h1").text
        add = browser.find_element(By.CSS_SELECTOR, "form[action='/webhooks']")
        add.find_element(By.NAME, "url").send_keys(url)
        add.find_element(By.NAME, "description").send_keys("our CRM bridge")
        add.find_element(By.CSS_SELECTOR, "input[value='lead.created']").click()
        page = browser.find_element(By.TAG_NAME, "html")
        add.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_next_page(browser, page)
        secret = browser.find_element(By.CSS_SELECTOR, ".secret-value").text
        assert secret.startswith("whsec_")

        row = browser.find_element(By.XPATH, f"//tr[td[contains(., '{url}')]]")
        page = browser.find_element(By.TAG_NAME, "html")
        row.find_element(By.CSS_SELECTOR, "form[action$='/test'] button").click()
        wait_for_next_page(browser, page)
        deadline = time.monotonic() + 30
        while not received and time.monotonic() < deadline:
            time.sleep(0.1)
        assert received, "the test event arrived"
        headers, body = received[0]
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert any(hmac.compare_digest(expected, s) for s in headers["webhook-signature"].split())
        assert json.loads(body)["type"] == "webhook.test"

        deadline = time.monotonic() + 10
        while "webhook.test: HTTP 204" not in browser.page_source and time.monotonic() < deadline:
            time.sleep(0.3)
            browser.get(server + "/webhooks")
        assert "webhook.test: HTTP 204" in browser.page_source
        save_screenshot(browser, "webhooks")
    finally:
        receiver.shutdown()


def save_screenshot(browser, name):
    folder = os.environ.get("LEADGEN_E2E_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        browser.save_screenshot(os.path.join(folder, f"{name}.png"))
