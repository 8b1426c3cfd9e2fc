"""`leadgen verify emails` as a person uses it, against the DNS server `leadgen sandbox --dns-port` serves:
import leads, verify their addresses, see each outcome and reason in the export; a second run reuses them."""
import csv
import os
import pathlib
import socket
import subprocess
import tempfile
import time

from test_cli import leadgen

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))
EXPECTED = {
    "ada@deliverable.example": ("unknown", "the domain accepts mail; the mailbox was not probed"),
    "grace@implicit-mx.example": ("unknown", "the domain accepts mail; the mailbox was not probed"),
    "alan@nullmx.example": ("undeliverable", "null MX: the domain says it accepts no mail (RFC 7505)"),
    "edsger@no-mail.example": ("undeliverable", "the domain has no MX and no address records"),
    "barbara@nowhere.example": ("undeliverable", "the domain does not exist"),
    "sales@deliverable.example": ("risky", "a role account, not a person's mailbox"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_tcp(port, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def test_addresses_are_verified_against_dns_and_exported():
    with tempfile.TemporaryDirectory() as workdir:
        path = pathlib.Path(workdir) / "people.csv"
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["First Name", "Last Name", "Email"])
            for index, email in enumerate(EXPECTED):
                writer.writerow([f"Person{index}", "Tester", email])
        leadgen("leads", "import", str(path), workdir=workdir)

        dns_port = free_port()
        sandbox = subprocess.Popen([BINARY, "sandbox", "--port", str(free_port()), "--dns-port", str(dns_port)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_tcp(dns_port)
            os.environ["LEADGEN_DNS_SERVER"] = f"127.0.0.1:{dns_port}"
            try:
                first = leadgen("verify", "emails", workdir=workdir).stdout.strip()
                second = leadgen("verify", "emails", workdir=workdir).stdout.strip()
                refreshed = leadgen("verify", "emails", "--refresh", "--limit", "2", workdir=workdir).stdout.strip()
            finally:
                del os.environ["LEADGEN_DNS_SERVER"]
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
        assert first == ("addresses checked: 6, cached: 0; deliverable: 0, undeliverable: 3, risky: 1, unknown: 2")
        assert second == ("addresses checked: 0, cached: 6; deliverable: 0, undeliverable: 3, risky: 1, unknown: 2")
        assert refreshed.startswith("addresses checked: 2, cached: 0;")

        exported = leadgen("leads", "export", workdir=workdir).stdout
        rows = {row["email"]: row for row in csv.DictReader(exported.splitlines())}
        for email, (outcome, reason) in EXPECTED.items():
            assert (rows[email]["email_verification"], rows[email]["email_verification_reason"]) == (outcome, reason)

        bad = leadgen("verify", "emails", "--limit", "0", workdir=workdir, check=False)
        assert bad.returncode != 0 and "--limit" in bad.stderr


def test_with_the_probe_on_the_mail_servers_are_asked_about_each_mailbox():
    with tempfile.TemporaryDirectory() as workdir:
        expected = {
            "ada@deliverable.example": ("deliverable", "the mail server accepts the mailbox"),
            "zed@deliverable.example": ("undeliverable", "the mail server refuses the mailbox: 550 5.1.1"),
            "anyone@catchall.example": ("risky", "catch-all: the mail server accepts any address at the domain"),
            "ada@greylist.example": ("unknown", "greylisted or busy, try again later: 451 4.7.1"),
            "ada@full.example": ("risky", "the mailbox is full: 552 5.2.2"),
        }
        path = pathlib.Path(workdir) / "people.csv"
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["First Name", "Last Name", "Email"])
            for index, email in enumerate(expected):
                writer.writerow([f"Person{index}", "Tester", email])
        leadgen("leads", "import", str(path), workdir=workdir)

        dns_port, smtp_port = free_port(), free_port()
        sandbox = subprocess.Popen([BINARY, "sandbox", "--port", str(free_port()), "--dns-port", str(dns_port),
                                    "--smtp-port", str(smtp_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        settings = {"LEADGEN_DNS_SERVER": f"127.0.0.1:{dns_port}", "LEADGEN_SMTP_PROBE": "1",
                    "LEADGEN_SMTP_PROBE_FROM": "probe@leadgen.example", "LEADGEN_SMTP_PROBE_PORT": str(smtp_port),
                    "LEADGEN_OUTBOUND_ALLOW": "127.0.0.1/32"}
        try:
            wait_for_tcp(dns_port)
            wait_for_tcp(smtp_port)
            os.environ.update(settings)
            try:
                first = leadgen("verify", "emails", workdir=workdir).stdout.strip()
                exported = leadgen("leads", "export", workdir=workdir).stdout
                again = leadgen("verify", "emails", "--refresh", workdir=workdir).stdout.strip()
            finally:
                for name in settings:
                    os.environ.pop(name, None)
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
        assert first == "addresses checked: 5, cached: 0; deliverable: 1, undeliverable: 1, risky: 2, unknown: 1"
        rows = {row["email"]: row for row in csv.DictReader(exported.splitlines())}
        for email, (outcome, reason) in expected.items():
            assert rows[email]["email_verification"] == outcome, email
            assert rows[email]["email_verification_reason"].startswith(reason), rows[email]
        # Greylisted the first time, accepted when asked again.
        assert again == "addresses checked: 5, cached: 0; deliverable: 2, undeliverable: 1, risky: 2, unknown: 0"
        os.environ["LEADGEN_SMTP_PROBE"] = "1"
        try:
            unsent = leadgen("verify", "emails", workdir=workdir, check=False)
        finally:
            del os.environ["LEADGEN_SMTP_PROBE"]
        assert unsent.returncode != 0 and "LEADGEN_SMTP_PROBE_FROM" in unsent.stderr


def test_a_workspace_turns_the_probe_on_for_itself_once_the_operator_made_it_available():
    with tempfile.TemporaryDirectory() as workdir:
        (pathlib.Path(workdir) / "x.csv").write_text("Email\nada@deliverable.example\n")
        leadgen("leads", "import", "x.csv", "--workspace", "acme", workdir=workdir)
        assert leadgen("verify", "probing", "--workspace", "acme", workdir=workdir).stdout == (
            "workspace acme: the SMTP probe is off\n")
        on = leadgen("verify", "probing", "on", "--workspace", "acme", workdir=workdir).stdout
        assert "turned on here, but the operator has not made it available" in on
        bad = leadgen("verify", "probing", "maybe", "--workspace", "acme", workdir=workdir, check=False)
        assert bad.returncode != 0
        missing = leadgen("verify", "probing", "on", "--workspace", "nowhere", workdir=workdir, check=False)
        assert missing.returncode != 0 and "no workspace 'nowhere'" in missing.stderr
