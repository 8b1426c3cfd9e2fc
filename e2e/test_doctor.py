"""`leadgen doctor` on a new installation and against the vendors' fakes: a refused key fails, warnings don't."""
import os
import subprocess
import tempfile
import urllib.request

from test_sandbox import BINARY, free_port, wait_for


def doctor(workdir, **settings):
    vendors = ("APOLLO_", "HUBSPOT_", "SENDGRID_", "MAILGUN_", "TWILIO_", "MAKE_", "SLACK_", "LEADGEN_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(vendors)}
    env.update(DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", **settings)
    return subprocess.run([BINARY, "doctor"], cwd=workdir, env=env, capture_output=True, text=True, timeout=60)


def test_doctor_checks_the_database_migrations_and_vendor_keys():
    with tempfile.TemporaryDirectory() as workdir:
        fresh = doctor(workdir)
        assert fresh.returncode == 0, fresh.stdout + fresh.stderr
        assert "warn  migrations: 0 applied" in fresh.stdout
        assert "warn  LEADGEN_MASTER_KEY" in fresh.stdout

        subprocess.run([BINARY, "migrate", "--database-url", f"sqlite:{workdir}/leadgen.sqlite"], cwd=workdir,
                       capture_output=True, check=True)
        port = free_port()
        sandbox = subprocess.Popen([BINARY, "sandbox", "--port", str(port)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        root = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: urllib.request.urlopen(root + "/__sandbox", timeout=2).status == 200, 30)
            vendors = dict(
                APOLLO_API_KEY="sandbox-apollo-key", APOLLO_BASE_URL=root + "/api/v1",
                HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token", HUBSPOT_BASE_URL=root,
                SENDGRID_API_KEY="SG.sandbox-sendgrid-key", SENDGRID_BASE_URL=root,
                MAILGUN_API_KEY="key-sandbox-mailgun", MAILGUN_DOMAIN="mg.sandbox.example", MAILGUN_BASE_URL=root,
                TWILIO_ACCOUNT_SID="AC00000000000000000000000000sandbox", TWILIO_AUTH_TOKEN="sandbox-twilio-auth-token",
                TWILIO_BASE_URL=root, MAKE_API_TOKEN="5f0b4c3e-8a1d-4e2f-9b6a-0c1d2e3f4a5b",
                MAKE_BASE_URL=root + "/make/api/v2")
            good = doctor(workdir, LEADGEN_MASTER_KEY="doctor-master-key", LEADGEN_PUBLIC_URL="https://leads.example",
                          **vendors)
            assert good.returncode == 0, good.stdout
            assert "ok    migrations: all " in good.stdout
            assert "ok    Apollo: the key is accepted" in good.stdout
            assert "ok    HubSpot: the token reaches portal " in good.stdout
            assert "ok    SendGrid: the key is accepted and may send mail (mail.send)" in good.stdout
            assert "ok    Mailgun: the key is accepted; mg.sandbox.example is active" in good.stdout
            assert "ok    Twilio: the credentials are accepted; account AC00000000000000000000000000sandbox is active" \
                in good.stdout
            assert "ok    Make: the token belongs to Sandbox User (user 1)" in good.stdout
            assert "warn" not in good.stdout
            assert "sandbox-twilio-auth-token" not in good.stdout + good.stderr, "the account's token is not shown"

            refused = doctor(workdir, **dict(vendors, SENDGRID_API_KEY="SG.revoked", MAILGUN_DOMAIN="mg.other.example",
                                             TWILIO_AUTH_TOKEN="wrong", MAKE_API_TOKEN="not-a-token",
                                             SLACK_WEBHOOK_URL="https://hooks.slack.com/services/T0/B0/x"))
            assert refused.returncode == 1
            assert "FAIL  SendGrid: SendGrid refused the API key" in refused.stdout
            assert "FAIL  Mailgun: " in refused.stdout and "Domain not found" in refused.stdout
            assert "FAIL  Twilio: Twilio refused the credentials" in refused.stdout
            assert "FAIL  Make: Make refused the API token" in refused.stdout
            assert "warn  Slack: the webhook URL is set but not called" in refused.stdout
            assert "ok    Apollo" in refused.stdout

            bad = doctor(workdir, APOLLO_API_KEY="not-a-key", APOLLO_BASE_URL=root + "/api/v1",
                         HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token", HUBSPOT_BASE_URL=root)
            assert bad.returncode == 1
            assert "FAIL  Apollo: Apollo rejected the API key" in bad.stdout
            assert "ok    HubSpot" in bad.stdout
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
