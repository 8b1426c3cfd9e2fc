"""A new user with no vendor keys: `leadgen serve --sandbox`, then source, enrich and sync over the API."""
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


def call(base, key, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"{}")


def wait_for(predicate, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            value = predicate()
        except OSError:  # the server is not listening yet
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def finished(base, key, path):
    _, run = call(base, key, "GET", path)
    return run if run["status"] not in ("queued", "running") else None


def test_source_enrich_and_sync_without_keys():
    with tempfile.TemporaryDirectory() as workdir:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("APOLLO_", "HUBSPOT_"))}
        env.update(DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_PORT=str(port), LEADGEN_LOG_LEVEL="warning")
        key = subprocess.run([BINARY, "apikey", "create", "--workspace", "default"], env=env, cwd=workdir,
                             capture_output=True, text=True, check=True).stdout.strip().split()[-1]
        server = subprocess.Popen([BINARY, "serve", "--sandbox"], env=env, cwd=workdir,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(lambda: urllib.request.urlopen(base + "/readyz", timeout=2).status == 200, 30)

            status, search = call(base, key, "POST", "/api/v1/saved-searches",
                                  {"name": "vps", "query": {"seniorities": ["vp"]}, "max": 60})
            assert status == 201
            status, _ = call(base, key, "POST", f"/api/v1/saved-searches/{search['id']}/run")
            assert status == 202
            ran = wait_for(lambda: call(base, key, "GET", f"/api/v1/saved-searches/{search['id']}")[1].get("last_run"))
            assert ran["added"] == 60

            status, run = call(base, key, "POST", "/api/v1/enrichments", {"budget": 50})
            assert status == 202
            done = wait_for(lambda: finished(base, key, f"/api/v1/enrichments/{run['id']}"))
            assert done["status"] == "budget_exhausted"
            assert done["spent"] == 50 and done["leads_enriched"] == 50 and done["leads_over_budget"] == 10

            status, sync = call(base, key, "POST", "/api/v1/syncs", {"scope": "all"})
            assert status == 202
            synced = wait_for(lambda: finished(base, key, f"/api/v1/syncs/{sync['id']}"))
            assert synced["status"] == "succeeded" and synced["leads_created"] > 30

            with urllib.request.urlopen(base + "/sandbox/__sandbox/hubspot/ledger", timeout=10) as response:
                ledger = json.loads(response.read())
            assert len(ledger["contacts"]) == synced["leads_created"]
            with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
                metrics = response.read().decode()
            assert 'leadgen_provider_requests_total{provider="apollo",outcome="200"}' in metrics
        finally:
            server.terminate()
            server.wait(timeout=30)
