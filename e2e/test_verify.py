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
