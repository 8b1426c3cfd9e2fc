"""`leadgen doctor` on a new installation and against the vendors' fakes: a refused key fails, warnings don't."""
import os
import subprocess
import tempfile
import urllib.request

from test_sandbox import BINARY, free_port, wait_for


def doctor(workdir, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APOLLO_", "HUBSPOT_", "SENDGRID_", "LEADGEN_"))}
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
            good = doctor(workdir, APOLLO_API_KEY="sandbox-apollo-key", APOLLO_BASE_URL=root + "/api/v1",
                          HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token", HUBSPOT_BASE_URL=root,
                          LEADGEN_MASTER_KEY="doctor-master-key")
            assert good.returncode == 0, good.stdout
            assert "ok    migrations: all " in good.stdout
            assert "ok    Apollo: the key is accepted" in good.stdout
            assert "ok    HubSpot: the token reaches portal " in good.stdout
            assert "warn" not in good.stdout

            bad = doctor(workdir, APOLLO_API_KEY="not-a-key", APOLLO_BASE_URL=root + "/api/v1",
                         HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token", HUBSPOT_BASE_URL=root)
            assert bad.returncode == 1
            assert "FAIL  Apollo: Apollo rejected the API key" in bad.stdout
            assert "ok    HubSpot" in bad.stdout
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
