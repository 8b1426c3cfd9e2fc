"""Outreach end to end with no vendor keys: `leadgen serve --sandbox` sends a sequence's e-mails through the
SendGrid fake, which posts its signed events back to the server's own webhooks; a reply posted by Inbound Parse
and a one-click unsubscribe stop their leads, and the statistics and the dashboard say so."""
import json
import os
import subprocess
import tempfile
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_dashboard import save_screenshot
from test_sandbox import BINARY, call, free_port, wait_for

SEQUENCE = {
    "name": "E2E outreach",
    "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "to": "24:00"},
    "steps": [
        {"id": "intro", "type": "email", "subject": "Hello {{first_name}}", "body": "Hi {{first_name}}, a short note."},
        {"type": "wait", "hours": 1},
        {"id": "text", "type": "sms", "body": "Hi {{first_name}}, a quick text."},
    ],
}


def ledger(base, vendor):
    with urllib.request.urlopen(f"{base}/sandbox/__sandbox/{vendor}/ledger", timeout=10) as response:
        return json.loads(response.read())


def stats(base, key, sequence):
    return call(base, key, "GET", f"/api/v1/sequences/{sequence}/stats")[1]


def intro(base, key, sequence, figure):
    return sum(step[figure] for step in stats(base, key, sequence)["steps"] if step["step_id"] == "intro")


def test_a_sequence_sends_hears_back_and_stops_on_reply_and_unsubscribe(browser):
    with tempfile.TemporaryDirectory() as workdir:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SENDGRID_", "MAILGUN_", "TWILIO_"))}
        env.update(DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_PORT=str(port), LEADGEN_LOG_LEVEL="warning",
                   LEADGEN_MASTER_KEY="e2e-outreach-master-key")
        key = subprocess.run([BINARY, "apikey", "create", "--workspace", "default"], env=env, cwd=workdir,
                             capture_output=True, text=True, check=True).stdout.strip().split()[-1]
        subprocess.run([BINARY, "user", "create", "--email", "rep@leadgen.example"], env=env, cwd=workdir,
                       input="correct horse battery\n", capture_output=True, text=True, check=True)
        server = subprocess.Popen([BINARY, "serve", "--sandbox"], env=env, cwd=workdir,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: urllib.request.urlopen(base + "/readyz", timeout=2).status == 200, 30)
            status, _ = call(base, key, "POST", "/api/v1/senders", {
                "channel": "email", "provider": "sendgrid", "address": "rita@sales.example", "name": "Rita Rep",
                "physical_address": "1 Main St, Springfield, IL 62701"})
            assert status == 201
            leads = {}
            for name in ("ada", "ben", "cy"):
                status, lead = call(base, key, "POST", "/api/v1/leads", {
                    "first_name": name.title(), "email": f"{name}@{name}-corp.example", "time_zone": "UTC",
                    "phones": ["+1415555010" + str(len(leads))], "tags": ["e2e"]})
                assert status == 201
                leads[name] = lead["id"]
            status, sequence = call(base, key, "POST", "/api/v1/sequences", SEQUENCE)
            assert status == 201
            status, receipt = call(base, key, "POST", f"/api/v1/sequences/{sequence['id']}/enroll", {"tag": "e2e"})
            assert status == 200 and receipt["enrolled"] == 3

            # The worker in the server sends; the fake's signed `delivered` events come back to its webhook.
            wait_for(lambda: intro(base, key, sequence["id"], "delivered") == 3)
            mails = ledger(base, "sendgrid")["deliveries"]
            assert sorted(m["to"] for m in mails) == ["ada@ada-corp.example", "ben@ben-corp.example", "cy@cy-corp.example"]
            assert all("1 Main St, Springfield, IL 62701" in m["text"] for m in mails)
            assert all(m["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)

            # Ben answers by e-mail (SendGrid's Inbound Parse posts it); Cy unsubscribes with the one-click link.
            request = urllib.request.Request(f"{base}/sandbox/__sandbox/sendgrid/reply", method="POST",
                                             data=json.dumps({"from": "ben@ben-corp.example", "text": "Keen!"}).encode())
            assert urllib.request.urlopen(request, timeout=10).status == 204
            link = next(m for m in mails if m["to"] == "cy@cy-corp.example")["headers"]["List-Unsubscribe"].strip("<>")
            assert link.startswith(base + "/u/")
            request = urllib.request.Request(link, data=b"List-Unsubscribe=One-Click", method="POST")
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            assert urllib.request.urlopen(request, timeout=10).status == 200

            wait_for(lambda: intro(base, key, sequence["id"], "replied") == 1)
            figures = stats(base, key, sequence["id"])
            assert figures["enrollments"]["replied"] == 1 and figures["enrollments"]["unsubscribed"] == 1
            assert figures["enrollments"]["active"] == 1, "Ada waits an hour for her SMS"
            assert intro(base, key, sequence["id"], "unsubscribed") == 1
            _, enrollments = call(base, key, "GET", f"/api/v1/sequences/{sequence['id']}/enrollments")
            by_lead = {e["lead_id"]: e for e in enrollments["data"]}
            assert by_lead[leads["ben"]]["status"] == "replied"
            assert by_lead[leads["cy"]]["status"] == "unsubscribed"
            assert by_lead[leads["ada"]]["status"] == "active" and by_lead[leads["ada"]]["step_index"] == 2
            _, ben = call(base, key, "GET", f"/api/v1/leads/{leads['ben']}")
            assert ben["status"] == "replied"
            assert ledger(base, "twilio")["messages"] == []

            # The dashboard shows the same figures.
            browser.get(base + "/login")
            browser.find_element(By.NAME, "email").send_keys("rep@leadgen.example")
            browser.find_element(By.NAME, "password").send_keys("correct horse battery")
            browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            WebDriverWait(browser, 10).until(EC.url_contains("/leads"))
            browser.get(base + "/sequences")
            row = browser.find_element(By.CSS_SELECTOR, "table.sequences tbody tr").text
            assert "E2E outreach" in row
            browser.find_element(By.LINK_TEXT, "E2E outreach").click()
            WebDriverWait(browser, 10).until(EC.url_contains("/sequences/" + sequence["id"]))
            assert browser.find_element(By.CSS_SELECTOR, "td[data-status=replied]").text == "1"
            assert browser.find_element(By.CSS_SELECTOR, "td[data-status=unsubscribed]").text == "1"
            intro_row = browser.find_element(By.CSS_SELECTOR, "table.steps tbody tr").text.split()
            assert intro_row[:6] == ["intro", "email", "3", "3", "0", "0"], intro_row
            save_screenshot(browser, "sequence")
            browser.find_element(By.ID, "pause").click()
            WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "resume"))
            assert call(base, key, "GET", f"/api/v1/sequences/{sequence['id']}")[1]["status"] == "paused"
        finally:
            server.terminate()
            server.wait(timeout=30)
