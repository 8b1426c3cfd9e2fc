#!/usr/bin/env python3
"""The scale-out test: two `leadgen serve --no-workers` and three `leadgen worker` processes on one PostgreSQL,
driven over HTTP by a round-robin client, against the vendors' fakes (`leadgen sandbox`). It runs an import, an
Apollo search, an enrichment, a HubSpot sync and a sequence of one e-mail to every imported lead, and in each
phase SIGKILLs the worker doing the work mid-way and starts it again. Then it reads the fakes' ledgers and the
database and checks that nothing was lost or done twice:

- import: every row is a lead, once;
- enrichment: no Apollo person charged twice; a second run charges nothing;
- sync: one HubSpot contact per lead with an e-mail, no two with one e-mail;
- sequence: no recipient got the e-mail twice; every enrolment has its one message, sent or, for the few in
  flight when their worker died, `unknown` (kept for a person to look at, never resent).

Run by scripts/bench/scale_out, which builds the binary and starts the PostgreSQL server:
  scale_out.py --binary PATH --database-url URL --psql PATH [--leads N]
"""
import argparse
import collections
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def say(message):
    print(f"-- {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, headers=None, timeout=30):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if body is not None and not isinstance(body, bytes):
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, (json.loads(text) if text.strip().startswith(b"{") else text)
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, (json.loads(text) if text.strip().startswith(b"{") else text)


class RoundRobin:
    """The API of several web processes, each call to the next one."""

    def __init__(self, bases, key):
        self.bases, self.key, self.turn = bases, key, 0
        self.calls = collections.Counter()

    def __call__(self, method, path, body=None, headers=None, timeout=30):
        base = self.bases[self.turn % len(self.bases)]
        self.turn += 1
        self.calls[base] += 1
        all_headers = {"Authorization": f"Bearer {self.key}", **(headers or {})}
        return http(method, base + path, body, all_headers, timeout)


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.25)
    raise SystemExit(f"scale-out: timed out waiting for {what}")


class Cluster:
    def __init__(self, binary, env, workdir):
        self.binary, self.env, self.workdir = binary, env, workdir
        self.webs, self.workers, self.worker_ports, self.kills = [], [], [], 0

    def start(self, name, args):
        log = open(os.path.join(self.workdir, f"{name}.log"), "ab")
        return subprocess.Popen([self.binary, *args], env=self.env, cwd=self.workdir, stdout=log, stderr=log)

    def start_worker(self, index):
        process = self.start(f"worker{index}", ["worker", "--health-port", str(self.worker_ports[index])])
        if index < len(self.workers):
            self.workers[index] = process
        else:
            self.workers.append(process)
        wait_for(lambda: http("GET", f"http://127.0.0.1:{self.worker_ports[index]}/readyz")[0] == 200, 60,
                 f"worker {index} to be ready")

    def kill_worker_running(self, psql, kind, fallback=0):
        """SIGKILLs the worker process holding a running job of `kind` (or worker `fallback`) and starts it again."""
        holder = psql(f"SELECT locked_by FROM jobs WHERE kind = '{kind}' AND state = 'running' LIMIT 1")
        pid = int(match.group(1)) if (match := re.match(r"worker-(\d+)-", holder)) else None
        index = next((i for i, p in enumerate(self.workers) if p.pid == pid), fallback)
        say(f"SIGKILL to worker {index} (pid {self.workers[index].pid}), which runs {kind}" if pid else
            f"SIGKILL to worker {index} (pid {self.workers[index].pid})")
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait()
        self.kills += 1
        time.sleep(1)
        self.start_worker(index)
        return index

    def stop(self):
        for process in self.webs + self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.webs + self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--psql", required=True)
    parser.add_argument("--leads", type=int, default=5000)
    parser.add_argument("--sourced", type=int, default=1000)
    args = parser.parse_args()
    figures, problems = {}, []

    def check(condition, message):
        if not condition:
            problems.append(message)

    def psql(query):
        out = subprocess.run([args.psql, "-X", "-q", "-t", "-A", "-d", args.database_url, "-c", query],
                             capture_output=True, text=True, check=True).stdout.strip()
        return out

    workdir = tempfile.mkdtemp(prefix="leadgen-scale-out-")
    sandbox_port = free_port()
    web_ports = [free_port(), free_port()]
    sandbox_root = f"http://127.0.0.1:{sandbox_port}"
    sandbox = subprocess.Popen(
        [args.binary, "sandbox", "--port", str(sandbox_port), "--people", str(args.sourced * 2),
         "--rate-limit-scale", "10000", "--callback-url", f"http://127.0.0.1:{web_ports[0]}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    public_key = None
    for line in sandbox.stdout:
        if line.startswith("sandbox: SENDGRID_WEBHOOK_PUBLIC_KEY="):
            public_key = line.split("=", 1)[1].strip()
            break
    env = {k: v for k, v in os.environ.items() if not k.startswith(("APOLLO_", "HUBSPOT_", "SENDGRID_", "LEADGEN_"))}
    env.update(
        DATABASE_URL=args.database_url, LEADGEN_LOG_LEVEL="warning", LEADGEN_LOG_FORMAT="json",
        LEADGEN_MASTER_KEY="scale-out-master-key", LEADGEN_JOB_LEASE="5", LEADGEN_WORKERS="4",
        LEADGEN_OUTREACH_DOMAIN_INTERVAL="0", LEADGEN_PUBLIC_URL=f"http://127.0.0.1:{web_ports[0]}",
        APOLLO_API_KEY="sandbox-apollo-key", APOLLO_BASE_URL=f"{sandbox_root}/api/v1",
        APOLLO_REQUESTS_PER_SECOND="10000", HUBSPOT_ACCESS_TOKEN="pat-sandbox-hubspot-token",
        HUBSPOT_BASE_URL=sandbox_root, HUBSPOT_REQUESTS_PER_SECOND="10000",
        SENDGRID_API_KEY="SG.sandbox-sendgrid-key", SENDGRID_BASE_URL=sandbox_root,
        SENDGRID_WEBHOOK_PUBLIC_KEY=public_key or "")
    cluster = Cluster(args.binary, env, workdir)
    started = time.monotonic()
    try:
        subprocess.run([args.binary, "migrate"], env=env, cwd=workdir, capture_output=True, check=True)
        key = subprocess.run([args.binary, "apikey", "create", "--workspace", "default"], env=env, cwd=workdir,
                             capture_output=True, text=True, check=True).stdout.strip().split()[-1]
        for index, port in enumerate(web_ports):
            cluster.webs.append(cluster.start(f"web{index}", ["serve", "--no-workers", "--port", str(port)]))
        cluster.worker_ports = [free_port() for _ in range(3)]
        for index in range(3):
            cluster.start_worker(index)
        for port in web_ports:
            wait_for(lambda: http("GET", f"http://127.0.0.1:{port}/readyz")[0] == 200, 60, "the web processes")
        api = RoundRobin([f"http://127.0.0.1:{port}" for port in web_ports], key)

        # --- import ---------------------------------------------------------------------------
        say("importing")
        rows = [["Email", "First Name", "Last Name", "Company Name", "Tags"]]
        rows += [[f"person{i}@company{i % 997}.example", f"Person{i}", "Scale", f"Company {i % 997}", "scale"]
                 for i in range(args.leads)]
        path = os.path.join(workdir, "leads.csv")
        with open(path, "w", newline="") as handle:
            csv.writer(handle).writerows(rows)
        t0 = time.monotonic()
        with open(path, "rb") as handle:
            status, receipt = api("POST", "/api/v1/imports?file_name=leads.csv", handle.read(),
                                  {"Content-Type": "text/csv"})
        check(status == 202, f"import upload answered {status}: {receipt}")
        import_id = receipt["id"]
        wait_for(lambda: psql("SELECT COUNT(*) FROM leads") not in ("", "0"), 60, "the import to start")
        cluster.kill_worker_running(psql, "import_csv")
        done = wait_for(lambda: (r := api("GET", f"/api/v1/imports/{import_id}")[1]).get("status") in
                        ("succeeded", "failed") and r, 300, "the import")
        figures["import_seconds"] = round(time.monotonic() - t0, 1)
        check(done["status"] == "succeeded", f"the import ended {done['status']}")
        leads = int(psql("SELECT COUNT(*) FROM leads"))
        emails = int(psql("SELECT COUNT(DISTINCT email) FROM leads"))
        figures["leads_imported"] = leads
        check(leads == args.leads and emails == args.leads, f"{leads} leads ({emails} e-mails) for {args.leads} rows")

        # --- Apollo search (free) ---------------------------------------------------------------
        say("searching Apollo")
        everyone = ["owner", "founder", "c_suite", "partner", "vp", "head", "director", "manager", "senior", "entry",
                    "intern"]
        status, search = api("POST", "/api/v1/saved-searches",
                             {"name": "scale", "query": {"seniorities": everyone}, "max": args.sourced})
        check(status == 201, f"saved search answered {status}: {search}")
        status, _ = api("POST", f"/api/v1/saved-searches/{search['id']}/run")
        wait_for(lambda: (api("GET", f"/api/v1/saved-searches/{search['id']}")[1].get("last_run") or {}).get("found"),
                 300, "the Apollo search")
        sourced = int(psql("SELECT COUNT(*) FROM leads")) - leads
        figures["leads_sourced"] = sourced

        # --- enrichment ----------------------------------------------------------------------
        say("enriching")
        t0 = time.monotonic()
        status, run = api("POST", "/api/v1/enrichments", {"budget": 100000})
        check(status == 202, f"enrichment answered {status}: {run}")
        wait_for(lambda: int(psql("SELECT COUNT(*) FROM jobs WHERE kind = 'enrich_batch' AND state = 'succeeded'")) >= 5,
                 300, "enrichment batches")
        cluster.kill_worker_running(psql, "enrich_batch")
        run = wait_for(lambda: (r := api("GET", f"/api/v1/enrichments/{run['id']}")[1]).get("status") not in
                       ("queued", "running", "planning") and r, 600, "the enrichment")
        figures["enrichment_seconds"] = round(time.monotonic() - t0, 1)
        figures["enrichment"] = {k: run.get(k) for k in ("status", "leads_selected", "leads_enriched",
                                                           "leads_not_found", "leads_interrupted", "leads_failed")}
        ledger = http("GET", f"{sandbox_root}/__sandbox/apollo/ledger")[1]
        charges = ledger["charges"]
        figures["apollo_people_charged"] = len(charges)
        check(len(set(charges.values())) <= 1, f"some Apollo people were charged more than others: {collections.Counter(charges.values())}")
        credits_before = ledger["credits_consumed"]
        status, again = api("POST", "/api/v1/enrichments", {"budget": 100000})
        wait_for(lambda: api("GET", f"/api/v1/enrichments/{again['id']}")[1].get("status") not in
                 ("queued", "running", "planning"), 300, "the second enrichment")
        check(http("GET", f"{sandbox_root}/__sandbox/apollo/ledger")[1]["credits_consumed"] == credits_before,
              "a second enrichment of the same leads paid again")

        # --- HubSpot sync ---------------------------------------------------------------------
        say("syncing to HubSpot")
        t0 = time.monotonic()
        status, sync = api("POST", "/api/v1/syncs", {"scope": "all"})
        check(status in (200, 202), f"sync answered {status}: {sync}")
        wait_for(lambda: len(http("GET", f"{sandbox_root}/__sandbox/hubspot/ledger")[1]["contacts"]) >= 500, 300,
                 "the first HubSpot contacts")
        cluster.kill_worker_running(psql, "hubspot_sync_batch")
        sync = wait_for(lambda: (r := api("GET", f"/api/v1/syncs/{sync['id']}")[1]).get("status") not in
                        ("queued", "running", "planning") and r, 600, "the sync")
        figures["sync_seconds"] = round(time.monotonic() - t0, 1)
        figures["sync"] = {k: sync.get(k) for k in ("status", "leads_selected", "leads_created", "leads_updated",
                                                     "leads_unchanged", "leads_failed")}
        figures["hubspot_autosync_runs"] = int(psql("SELECT COUNT(*) FROM jobs WHERE kind = 'hubspot_autosync'"))
        hubspot = http("GET", f"{sandbox_root}/__sandbox/hubspot/ledger")[1]
        contact_emails = [c["properties"].get("email") for c in hubspot["contacts"]]
        figures["hubspot_contacts"] = len(contact_emails)
        # HubSpot contacts are kept by e-mail: leads without one (people Apollo found no address for) stay out.
        with_email = int(psql("SELECT COUNT(*) FROM leads WHERE email IS NOT NULL"))
        figures["leads_with_an_email"] = with_email
        check(len(contact_emails) == with_email, f"{len(contact_emails)} HubSpot contacts for {with_email} leads with an e-mail")
        check(len(set(contact_emails)) == len(contact_emails), "two HubSpot contacts share an e-mail")

        # --- a sequence of one e-mail to every imported lead ----------------------------------
        say("sending the sequence")
        status, sender = api("POST", "/api/v1/senders", {
            "channel": "email", "provider": "sendgrid", "address": "rita@sales.example", "name": "Rita Rep",
            "physical_address": "1 Main St, Springfield, IL 62701"})
        check(status == 201, f"sender answered {status}: {sender}")
        status, sequence = api("POST", "/api/v1/sequences", {
            "name": "Scale out", "window": {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                                            "from": "00:00", "to": "24:00"},
            "steps": [{"id": "intro", "type": "email", "subject": "Hello {{first_name}}",
                       "body": "Hi {{first_name}}, a short note."}]})
        check(status == 201, f"sequence answered {status}: {sequence}")
        t0 = time.monotonic()
        status, enrolled = api("POST", f"/api/v1/sequences/{sequence['id']}/enroll", {"tag": "scale"}, timeout=600)
        figures["enrol_seconds"] = round(time.monotonic() - t0, 1)
        check(status == 200 and enrolled.get("enrolled") == args.leads, f"enrol answered {status}: {enrolled}")

        def delivered():
            return http("GET", f"{sandbox_root}/__sandbox/sendgrid/ledger")[1]["deliveries"]
        wait_for(lambda: len(delivered()) >= args.leads // 5, 300, "the first fifth of the e-mails")
        figures["killed_worker_sending"] = cluster.kill_worker_running(psql, "outreach_dispatch")
        wait_for(lambda: psql("SELECT COUNT(*) FROM enrollments WHERE status = 'active'") == "0", 900,
                 "every enrolment to finish or stop")
        figures["sequence_seconds"] = round(time.monotonic() - t0, 1)
        time.sleep(2)  # the fake's last signed events reach the webhooks
        recipients = collections.Counter(d["to"].lower() for d in delivered())
        twice = {to: n for to, n in recipients.items() if n > 1}
        statuses = dict(item.split("=") for item in psql(
            "SELECT status || '=' || COUNT(*) FROM messages GROUP BY status ORDER BY status").splitlines())
        without = int(psql("SELECT COUNT(*) FROM enrollments e WHERE NOT EXISTS "
                           "(SELECT 1 FROM messages m WHERE m.enrollment_id = e.id)"))
        unknown_delivered = sum(1 for to in psql(
            "SELECT m.recipient FROM messages m WHERE m.status = 'unknown'").splitlines() if to.lower() in recipients) \
            if statuses.get("unknown") else 0
        figures["sequence"] = {"recipients_delivered": len(recipients), "delivered_twice": len(twice),
                               "messages": statuses, "enrolments_without_a_message": without,
                               "unknown_that_the_vendor_had": unknown_delivered}
        check(not twice, f"{len(twice)} recipients got the e-mail twice: {list(twice)[:5]}")
        check(without == 0, f"{without} enrolments have no message")
        check(int(statuses.get("sent", 0)) + int(statuses.get("unknown", 0)) == args.leads,
              f"messages {statuses} for {args.leads} enrolments")
        check(int(statuses.get("unknown", 0)) <= 64, "more messages left unknown than were in flight")
        figures["worker_kills"] = cluster.kills
        figures["api_calls_per_web_process"] = list(api.calls.values())
        figures["total_seconds"] = round(time.monotonic() - started, 1)
    finally:
        cluster.stop()
        sandbox.send_signal(signal.SIGTERM)
        sandbox.wait(timeout=30)

    print(json.dumps(figures, indent=2))
    if problems:
        print("scale-out: FAILED\n  " + "\n  ".join(problems))
        print(f"(logs in {workdir})")
        sys.exit(1)
    print("scale-out: nothing lost, nothing done twice")


if __name__ == "__main__":
    main()
