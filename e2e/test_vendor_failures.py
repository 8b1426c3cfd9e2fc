"""The command line against a vendor that fails: `leadgen sandbox --error-rate 0.2` answers a fifth of all
calls with a 503. `leadgen enrich` and `leadgen sync hubspot` still enrich and sync every eligible lead, and a
second run makes no call at all."""
import json
import os
import pathlib
import socket
import subprocess
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ledger(root, vendor):
    with urllib.request.urlopen(f"{root}/__sandbox/{vendor}/ledger", timeout=10) as response:
        return json.loads(response.read())


def test_enrich_and_sync_survive_server_errors_and_a_second_run_writes_nothing():
    with tempfile.TemporaryDirectory() as workdir:
        port = free_port()
        root = f"http://127.0.0.1:{port}"
        sandbox = subprocess.Popen([BINARY, "sandbox", "--port", str(port), "--people", "2000", "--error-rate", "0.2",
                                    "--rate-limit-scale", "100"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_LOG_LEVEL="error",
                   APOLLO_API_KEY="sandbox-apollo-key", APOLLO_BASE_URL=f"{root}/api/v1",
                   HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token", HUBSPOT_BASE_URL=root,
                   APOLLO_REQUESTS_PER_SECOND="100", HUBSPOT_REQUESTS_PER_SECOND="100")

        def leadgen(*args):
            return subprocess.run([BINARY, *args], env=env, cwd=workdir, capture_output=True, text=True, check=True,
                                  timeout=600).stdout
        try:
            deadline = time.time() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{root}/__sandbox", timeout=2)
                    break
                except OSError:
                    assert time.time() < deadline, "the sandbox did not start"
                    time.sleep(0.2)

            assert "leads added: 120" in leadgen("source", "apollo", "--seniority", "director", "--max", "120")
            enriched = leadgen("enrich")
            assert "succeeded" in enriched, enriched
            assert "leads selected: 120, enriched: 120" in enriched, enriched
            apollo = ledger(root, "apollo")
            assert apollo["credits_consumed"] == 120  # nobody paid for twice despite the errors
            assert all(charge == 1 for charge in apollo["charges"].values())

            synced = leadgen("sync", "hubspot")
            assert "succeeded" in synced, synced
            selected = int(synced.split("leads selected: ")[1].split(",")[0])
            assert selected > 80
            assert f"created: {selected}," in synced, synced
            hubspot = ledger(root, "hubspot")
            assert len(hubspot["contacts"]) == selected
            assert all(count == 1 for count in hubspot["contact_creations"].values())

            calls = (sum(apollo["calls"].values()), sum(hubspot["calls"].values()))
            assert "leads selected: 0" in leadgen("enrich")
            assert "leads selected: 0" in leadgen("sync", "hubspot")
            assert "unchanged: " + str(selected) in leadgen("sync", "hubspot", "--all")
            after = (sum(ledger(root, "apollo")["calls"].values()), sum(ledger(root, "hubspot")["calls"].values()))
            assert after == calls
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
