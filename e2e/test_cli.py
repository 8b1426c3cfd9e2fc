"""The command line as a person uses it: import an Apollo export twice, export the leads as JSON Lines."""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED = ROOT / "database/seeds/apollo-export.csv"


def leadgen(*args, workdir, check=True):
    binary = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))
    env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_LOG_LEVEL="warning")
    return subprocess.run([binary, *args], cwd=workdir, env=env, capture_output=True, text=True, check=check)


def test_import_twice_then_export_jsonl():
    with tempfile.TemporaryDirectory() as workdir:
        csv_path = pathlib.Path(workdir) / "apollo.csv"
        csv_path.write_bytes(SEED.read_bytes())

        first = leadgen("leads", "import", str(csv_path), workdir=workdir)
        summary = first.stdout.splitlines()[0]
        assert summary.startswith("rows read: 301, leads created: ")
        assert "rejected: 7" in summary
        rejected_lines = [line.split(":")[0] for line in first.stderr.splitlines() if line.startswith("line ")]
        assert rejected_lines == ["line 51", "line 101", "line 151", "line 201", "line 251", "line 301", "line 302"]
        rejects = (pathlib.Path(workdir) / "apollo.csv.rejects.csv").read_text().splitlines()
        assert rejects[0] == "line,reason,row" and len(rejects) == 8

        second = leadgen("leads", "import", str(csv_path), workdir=workdir)
        assert "leads created: 0, merged: 0, unchanged: 294, rejected: 7" in second.stdout

        created = int(summary.split("leads created: ")[1].split(",")[0])
        exported = leadgen("leads", "export", "--format", "jsonl", workdir=workdir).stdout.splitlines()
        assert len(exported) == created
        leads = [json.loads(line) for line in exported]
        emails = [lead["email"] for lead in leads if "email" in lead]
        assert len(emails) == len(set(emails))
        assert all(email == email.strip().lower() for email in emails)
        assert all(lead["linkedin_url"].startswith("https://www.linkedin.com/in/") for lead in leads if "linkedin_url" in lead)
        assert all(phone.get("e164", "+").startswith("+") for lead in leads for phone in lead["phones"])
        assert all("company" not in lead or lead["company"]["domain"].endswith(".example") for lead in leads)


def test_import_a_vcard_file_twice():
    """An address book's export: one lead a card, the rejected card by its line, and a second import changes nothing."""
    with tempfile.TemporaryDirectory() as workdir:
        vcf = pathlib.Path(workdir) / "contacts.vcf"
        shutil.copy(ROOT / "integrations/chrome_extension/test/fixtures/lena-novak.vcf", workdir)
        vcf.write_text((pathlib.Path(workdir) / "lena-novak.vcf").read_text()
                       + "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Nobody\r\nEND:VCARD\r\n")
        first = leadgen("leads", "import", str(vcf), workdir=workdir)
        assert first.stdout.splitlines()[0] == "cards read: 2, leads created: 1, merged: 0, unchanged: 0, rejected: 1"
        assert first.stderr.startswith("line 13: the card names nobody")
        second = leadgen("leads", "import", str(vcf), workdir=workdir)
        assert "leads created: 0, merged: 0, unchanged: 1, rejected: 1" in second.stdout
        [lead] = [json.loads(line) for line in leadgen("leads", "export", "--format", "jsonl", workdir=workdir).stdout.splitlines()]
        assert lead["email"] == "lena.novak@northwind-analytics.example"
        assert lead["linkedin_url"] == "https://www.linkedin.com/in/lena-novak-ae"
        assert lead["title"] == "Senior Account Executive" and lead["city"] == "Austin" and lead["country"] == "US"


def test_a_file_that_cannot_be_read_fails_with_one_line():
    with tempfile.TemporaryDirectory() as workdir:
        missing = leadgen("leads", "import", "nope.csv", workdir=workdir, check=False)
        assert missing.returncode != 0
        assert "cannot open nope.csv" in missing.stderr
        bad_setting = subprocess.run(
            [os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen")), "leads", "list"],
            cwd=workdir, env=dict(os.environ, LEADGEN_PORT="eighty"), capture_output=True, text=True)
        assert bad_setting.returncode != 0
        assert bad_setting.stderr.strip() == "Error: configuration error: LEADGEN_PORT: expected a port number from 1 to 65535, got 'eighty'"


def test_jobs_can_be_listed_and_a_wrong_id_is_refused():
    with tempfile.TemporaryDirectory() as workdir:
        listing = leadgen("jobs", "list", workdir=workdir)
        assert listing.stdout.split()[:6] == ["ID", "KIND", "STATE", "ATTEMPTS", "RUN", "AT"]
        retry = leadgen("jobs", "retry", "no-such-job", workdir=workdir, check=False)
        assert retry.returncode == 1
        assert retry.stderr.strip() == "Error: job no-such-job is not dead or cancelled (or does not exist)"


def test_expressions_evaluate_as_make_does_and_errors_name_their_position():
    with tempfile.TemporaryDirectory() as workdir:
        data = json.dumps({"1": {"name": "Hello", "when": "2016-12-28T16:03:06.000Z", "score": 72}})
        assert leadgen("expr", "eval", "substring(1.name; 1; 3)", "--data", data, workdir=workdir).stdout == '"el"\n'
        out = leadgen("expr", "eval", '{{formatDate(1.when; "YYYY-MM-DD HH:mm"; "Europe/Prague")}}', "--data", data,
                      workdir=workdir).stdout
        assert out == '"2016-12-28 17:03"\n'
        assert leadgen("expr", "eval", "formatNumber(123456789; 3; ,; .)", workdir=workdir).stdout == '"123.456.789,000"\n'
        bad = leadgen("expr", "eval", "{{upper(1.name}}", workdir=workdir, check=False)
        assert bad.returncode != 0
        assert "not closed with ')' at position 8" in bad.stderr
        passes = leadgen("expr", "filter", "--conditions",
                         '[[{"a": "{{1.score}}", "o": "number:greater", "b": "50"}]]', "--data", data, workdir=workdir)
        assert passes.stdout == "true\n"
        fails = leadgen("expr", "filter", "--conditions", '[[{"a": "{{1.name}}", "o": "text:equal:ci", "b": "bye"}]]',
                        "--data", data, workdir=workdir)
        assert fails.stdout == "false\n"


def test_a_blueprint_runs_once_and_reports_each_module():
    with tempfile.TemporaryDirectory() as workdir:
        blueprint = {
            "name": "echo",
            "flow": [
                {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
                {"id": 2, "module": "util:SetVariable2", "version": 1,
                 "mapper": {"name": "greeting", "scope": "roundtrip", "value": "Hello {{1.name}}"}},
                {"id": 3, "module": "gateway:WebhookRespond", "version": 1,
                 "mapper": {"status": "202", "body": "{{2.greeting}}",
                            "headers": [{"key": "X-Leadgen", "value": "{{length(1.name)}}"}]}},
            ],
            "metadata": {"instant": True, "version": 1, "scenario": {"roundtrips": 1, "maxErrors": 3}},
        }
        path = pathlib.Path(workdir) / "echo.json"
        path.write_text(json.dumps(blueprint))
        report = json.loads(leadgen("scenario", "run", str(path), "--input", '{"name": "Ada"}', workdir=workdir).stdout)
        assert report["status"] == "success"
        assert report["operations"] == 3
        assert report["response"] == {"status": 202, "headers": {"X-Leadgen": "3"}, "body": "Hello Ada"}
        assert report["modules"]["2"]["executions"] == 1
        assert report["modules"]["2"]["outputs"] == [{"greeting": "Hello Ada"}]

        blueprint["flow"].insert(2, {"id": 4, "module": "slack:CreateMessage", "version": 4, "mapper": {"text": "hi"}})
        path.write_text(json.dumps(blueprint))
        failed = leadgen("scenario", "run", str(path), "--input", '{"name": "Ada"}', workdir=workdir, check=False)
        assert failed.returncode != 0
        # The same modules as stored scenarios: Slack is known, and says it is not connected.
        assert "Slack is not connected" in json.loads(failed.stdout)["error"]

        checked = leadgen("scenario", "check", str(path), workdir=workdir)
        assert "every module can run natively" in checked.stdout

        # A vendor's watch trigger cannot run here: its bundles come from --input, or the run is an error.
        blueprint["flow"][0] = {"id": 1, "module": "google-sheets:watchRows", "version": 2, "mapper": {}}
        del blueprint["flow"][2]
        path.write_text(json.dumps(blueprint))
        no_input = leadgen("scenario", "run", str(path), workdir=workdir, check=False)
        assert no_input.returncode != 0
        assert json.loads(no_input.stdout)["error"].startswith("the trigger google-sheets:watchRows (module 1) cannot run here")
        stood_in = json.loads(leadgen("scenario", "run", str(path), "--input", '{"name": "Grace"}', workdir=workdir).stdout)
        assert stood_in["status"] == "success"
        assert stood_in["modules"]["2"]["outputs"] == [{"greeting": "Hello Grace"}]


def test_a_sequence_is_stored_and_previewed_and_a_bad_one_names_its_problems():
    with tempfile.TemporaryDirectory() as workdir:
        good = pathlib.Path(workdir) / "sequence.json"
        good.write_text(json.dumps({
            "name": "Outbound", "fallbacks": {"first_name": "friend"},
            "steps": [
                {"type": "email", "subject": "Hi {{first_name}}", "body": "Hello {{first_name}} at {{company.name}}"},
                {"type": "wait", "days": 2, "business_days": True},
                {"type": "sms", "body": "Hi {{first_name}}, reply STOP to opt out."}]}))
        created = leadgen("sequences", "create", str(good), workdir=workdir).stdout
        assert created.endswith(": Outbound, 3 steps\n")
        sequence_id = created.split()[1].rstrip(":")
        listed = leadgen("sequences", "list", workdir=workdir).stdout.splitlines()
        assert listed[1].split() == [sequence_id, "Outbound", "active"]

        csv_path = pathlib.Path(workdir) / "leads.csv"
        csv_path.write_text("email,company name\ngrace@acme.example,Acme\n")
        leadgen("leads", "import", str(csv_path), workdir=workdir)
        lead = json.loads(leadgen("leads", "export", "--format", "jsonl", workdir=workdir).stdout.splitlines()[0])
        preview = json.loads(leadgen("sequences", "preview", sequence_id, "--lead", lead["id"], workdir=workdir).stdout)
        assert preview["steps"][0]["messages"][0] == {"subject": "Hi friend", "text": "Hello friend at Acme"}
        assert preview["steps"][1]["summary"] == "wait 2 business days"

        enrolled = leadgen("sequences", "enroll", sequence_id, "--lead", lead["id"], "--lead", "nobody", workdir=workdir)
        assert enrolled.stdout.splitlines() == ["enrolled: 1, left out: 1", "  nobody: not_found"]
        again = leadgen("sequences", "enroll", sequence_id, "--lead", lead["id"], workdir=workdir)
        assert again.stdout.splitlines() == ["enrolled: 0, left out: 1", f"  {lead['id']}: already_enrolled"]

        bad = pathlib.Path(workdir) / "bad.json"
        bad.write_text(json.dumps({"name": "x", "steps": [{"type": "sms", "body": "Hi {{first_name"}]}))
        failed = leadgen("sequences", "create", str(bad), workdir=workdir, check=False)
        assert failed.returncode != 0
        assert "steps[0].body: the tag opened here is not closed with }} at position 3" in failed.stderr


def test_outreach_from_the_command_line():
    with tempfile.TemporaryDirectory() as workdir:
        csv_path = pathlib.Path(workdir) / "apollo.csv"
        csv_path.write_bytes(SEED.read_bytes())
        leadgen("leads", "import", str(csv_path), workdir=workdir)
        listing = leadgen("leads", "list", "--limit", "3", workdir=workdir).stdout.splitlines()
        assert listing[0].split()[:2] == ["ID", "NAME"]
        lead_id = listing[1].split()[0]

        missing = leadgen("senders", "add", "--address", "rep@sales.example", "--name", "Rep", workdir=workdir,
                          check=False)
        assert missing.returncode != 0
        assert "--physical-address: e-mail senders need the postal address their messages carry" in missing.stderr
        added = leadgen("senders", "add", "--address", "rep@sales.example", "--name", "Rep", "--physical-address",
                        "1 Main St, Springfield", "--hourly-limit", "40", workdir=workdir)
        assert added.stdout.startswith("sender ") and "email rep@sales.example via sendgrid" in added.stdout
        assert "40" in leadgen("senders", "list", workdir=workdir).stdout

        definition = pathlib.Path(workdir) / "sequence.json"
        definition.write_text(json.dumps({"name": "CLI", "steps": [
            {"id": "intro", "type": "email", "subject": "Hi {{first_name}}", "body": "Hello {{first_name}}"}]}))
        created = leadgen("sequences", "create", str(definition), workdir=workdir).stdout
        sequence = created.split()[1].rstrip(":")
        by_country = leadgen("sequences", "enroll", sequence, "--country", "US", workdir=workdir).stdout
        enrolled = int(by_country.splitlines()[0].split("enrolled: ")[1].split(",")[0])
        assert enrolled > 0
        again = leadgen("sequences", "enroll", sequence, "--lead", lead_id, workdir=workdir).stdout
        assert again.startswith("enrolled: ")
        stats = leadgen("sequences", "stats", sequence, workdir=workdir).stdout
        assert stats.splitlines()[0].startswith(f"enrolments: active {enrolled + int(again.split()[1].rstrip(','))},")
        bad = leadgen("sequences", "enroll", sequence, "--country", "Atlantis", workdir=workdir, check=False)
        assert bad.returncode != 0 and "'Atlantis' is not an ISO 3166 country name or code" in bad.stderr


def test_serve_and_worker_stop_cleanly_on_sigterm():
    import signal
    import socket
    import time
    import urllib.request

    binary = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))
    with tempfile.TemporaryDirectory() as workdir:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_LOG_LEVEL="warning")
        for args in (["serve", "--port", str(port)], ["worker"]):
            process = subprocess.Popen([binary, *args], cwd=workdir, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
            if args[0] == "serve":
                deadline = time.time() + 30
                while time.time() < deadline:
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                        break
                    except OSError:
                        time.sleep(0.2)
            else:
                time.sleep(2)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
            assert process.returncode == 0, (args, err)
            assert "Error" not in err and "CancellationError" not in err, (args, err)


def test_api_keys_are_created_with_a_role_listed_and_revoked():
    with tempfile.TemporaryDirectory() as workdir:
        secret = leadgen("apikey", "create", "--workspace", "acme", "--role", "viewer", "--name", "ro",
                         workdir=workdir).stdout.strip()
        assert secret.startswith("lg_") and len(secret) == 43
        listed = leadgen("apikey", "list", "--workspace", "acme", workdir=workdir).stdout.splitlines()
        assert len(listed) == 1
        key_id, prefix, role, state = listed[0].split()[:4]
        assert prefix == secret[:10] + "…" and role == "viewer" and state == "active"
        assert secret not in listed[0]
        assert leadgen("apikey", "revoke", key_id, workdir=workdir).stdout.strip() == f"revoked {key_id}"
        assert " revoked " in leadgen("apikey", "list", "--workspace", "acme", workdir=workdir).stdout
        again = leadgen("apikey", "revoke", key_id, workdir=workdir, check=False)
        assert again.returncode != 0 and f"no active API key {key_id}" in again.stderr
        bad = leadgen("apikey", "create", "--role", "root", workdir=workdir, check=False)
        assert bad.returncode != 0 and "--role" in bad.stderr


def test_backup_then_restore_brings_the_leads_back():
    with tempfile.TemporaryDirectory() as workdir:
        csv_path = pathlib.Path(workdir) / "apollo.csv"
        csv_path.write_bytes(SEED.read_bytes())
        leadgen("leads", "import", str(csv_path), workdir=workdir)
        before = leadgen("leads", "export", "--format", "jsonl", workdir=workdir).stdout

        backup = leadgen("backup", "--output", "copy.sqlite", workdir=workdir)
        assert backup.stdout.startswith("backed up sqlite:") and " leads, at migration " in backup.stdout
        again = leadgen("backup", "--output", "copy.sqlite", workdir=workdir, check=False)
        assert again.returncode != 0 and "exists already" in again.stderr

        (pathlib.Path(workdir) / "leadgen.sqlite").unlink()
        leadgen("leads", "import", str(csv_path), workdir=workdir)  # a different database now stands there
        refused = leadgen("restore", "--input", "copy.sqlite", workdir=workdir, check=False)
        assert refused.returncode != 0 and "add --replace" in refused.stderr
        restored = leadgen("restore", "--input", "copy.sqlite", "--replace", workdir=workdir)
        assert restored.stdout.startswith("restored copy.sqlite to sqlite:")
        assert leadgen("leads", "export", "--format", "jsonl", workdir=workdir).stdout == before
