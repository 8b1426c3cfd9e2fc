"""A hostile-input suite run from outside, as an attacker or a careless user would, against a live
`leadgen serve`: malformed forms, JSON and CSV, expressions and blueprints that once trapped, SSRF targets,
hook answers that try to act on the dashboard's origin, a race for first-run setup, password guessing, and
reads across workspaces. It ends with the server alive, no 5xx answer to anything, and no cross-workspace read."""
import concurrent.futures
import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = os.environ.get("LEADGEN_BINARY", str(ROOT / ".build/debug/leadgen"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A live server and every status it answered."""

    def __init__(self, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_LOG_LEVEL="warning",
                        TWILIO_AUTH_TOKEN="twilio-token", TWILIO_ACCOUNT_SID="AC0", MAILGUN_WEBHOOK_SIGNING_KEY="mg-key",
                        LEADGEN_MASTER_KEY="hostile-suite-master-key")
        self.workdir = workdir
        self.statuses = []

    def cli(self, *args):
        return subprocess.run([BINARY, *args], cwd=self.workdir, env=self.env, capture_output=True, text=True,
                              check=True).stdout.strip()

    def start(self):
        self.log = open(os.path.join(self.workdir, "server.log"), "w")
        self.process = subprocess.Popen([BINARY, "serve", "--port", str(self.port)], cwd=self.workdir, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("leadgen serve did not start")

    def request(self, method, path, body=None, headers=None):
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer, answer_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, answer, answer_headers = error.code, error.read(), error.headers
        self.statuses.append((status, method, path))
        return status, answer, answer_headers

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        self.log.close()
        return code


def test_a_hostile_session_leaves_the_server_alive_with_no_5xx_and_no_cross_workspace_read():
    with tempfile.TemporaryDirectory() as workdir:
        server = Server(workdir)
        acme = server.cli("apikey", "create", "--workspace", "acme")
        beta = server.cli("apikey", "create", "--workspace", "beta")
        server.start()
        auth = {"Authorization": f"Bearer {acme}", "Content-Type": "application/json"}
        form = {"Content-Type": "application/x-www-form-urlencoded"}

        # Forms that once trapped before any signature was checked.
        for path in ["/webhooks/twilio/status", "/webhooks/twilio/inbound", "/webhooks/mailgun/inbound"]:
            for body in ["=", "a=1&=&b=2", "%", "=%E2%82", "\x00\xff"]:
                status, _, _ = server.request("POST", path, body, form)
                assert status in (400, 401), (path, body, status)

        # JSON that is not what it claims, or is built to hurt.
        for body in ["{", "[" * 10000, '{"email": 1e400}', '{"email": ["x"]}', "\udcff", "null", '"' + "a" * 100000 + '"']:
            status, _, _ = server.request("POST", "/api/v1/leads", body.encode("utf-8", "surrogatepass"), auth)
            assert 400 <= status < 500, (body[:30], status)

        # CSV and multipart uploads that are not what they claim.
        for body in [b'email\n"unterminated', b"\x00\x01\x02", b"email\n" + b"a" * 200000 + b"\n"]:
            status, _, _ = server.request("POST", "/api/v1/imports", body, {"Authorization": f"Bearer {acme}",
                                                                              "Content-Type": "text/csv"})
            assert status < 500
        multipart = (b'--X\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\xe9\xff: x\r\n\r\n'
                     b"email\r\n--X--\r\n")
        status, _, _ = server.request("POST", "/api/v1/imports", multipart, {
            "Authorization": f"Bearer {acme}", "Content-Type": "multipart/form-data; boundary=X"})
        assert status == 400

        # Blueprints, sequences and expressions that once trapped or ran away.
        for blueprint in ['{"flow":[{"id":1e300}]}', '{"flow":[{"id":-1e300,"module":"a:b"}]}']:
            assert server.request("POST", "/api/v1/scenarios", blueprint, auth)[0] in (400, 422)
        for sequence in [
            {"name": "s", "holidays": ["2024-½½-01"], "steps": [{"type": "email", "subject": "a", "body": "b"}]},
            {"name": "s", "steps": [{"type": "email", "subject": "a", "body": "b"},
                                    {"type": "wait", "days": 9223372036854775807, "hours": 1}]},
            {"name": "s", "steps": [{"type": "email", "subject": "a", "body": "{{..}}"}]},
        ]:
            assert server.request("POST", "/api/v1/sequences", json.dumps(sequence), auth)[0] in (400, 422)
        expressions = ["{{formatNumber(1; 400)}}", "{{substring(\"abc\"; 1e300)}}", "{{addDays(now; 1e300)}}",
                       "{{" + "(" * 400 + "1" + ")" * 400 + "}}", "{{replace(\"" + "a" * 60 + "!\"; \"/(a+)+$/\"; \"x\")}}"]
        blueprint = {"name": "expr", "flow": [
            {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
            {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "x", "value": "{{1.e}}"}},
            {"id": 4, "module": "http:MakeRequest", "version": 4, "mapper": {"url": f"{server.base}/metrics", "method": "get"}},
            {"id": 5, "module": "http:MakeRequest", "version": 4, "mapper": {"url": "http://169.254.169.254/latest/meta-data/", "method": "get"}},
            {"id": 6, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "200", "body": "<script>alert(1)</script>",
             "headers": [{"key": "Set-Cookie", "value": "leadgen_session=planted"}, {"key": "Content-Type", "value": "text/html"},
                         {"key": "Content-Security-Policy", "value": "script-src *"}]}}],
            "metadata": {"instant": True, "version": 1, "scenario": {"roundtrips": 1, "maxErrors": 3}}}
        status, created, _ = server.request("POST", "/api/v1/scenarios?enabled=true", json.dumps(blueprint), auth)
        assert status == 201
        hook = json.loads(created)["webhook_path"]
        status, _, headers = server.request("POST", hook, '{"e": "x"}', {"Content-Type": "application/json"})
        assert status < 500
        assert headers.get("Set-Cookie") is None
        assert headers.get("Content-Security-Policy") in (None, "sandbox; default-src 'none'")
        status, _, _ = server.request("POST", hook, "a=1&=&b=2", form)
        assert status == 400
        # The run stopped at the HTTP module that aimed at this machine, and said why.
        scenario_id = json.loads(created)["id"]
        _, runs, _ = server.request("GET", f"/api/v1/scenarios/{scenario_id}/runs", None, auth)
        errors = [run.get("error") or "" for run in json.loads(runs)["data"]]
        assert any("refused to call" in error for error in errors), errors
        # Each expression that once trapped or ran away now stops its run with an error that says why.
        for expression in expressions:
            flow = {"name": "e", "flow": [
                {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                {"id": 2, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "y", "value": expression}}]}
            status, made, _ = server.request("POST", "/api/v1/scenarios?enabled=true", json.dumps(flow), auth)
            assert status == 201
            assert server.request("POST", json.loads(made)["webhook_path"], "{}", {"Content-Type": "application/json"})[0] < 500
            _, runs, _ = server.request("GET", f"/api/v1/scenarios/{json.loads(made)['id']}/runs", None, auth)
            statuses = [(run["status"], run.get("error")) for run in json.loads(runs)["data"]]
            assert statuses and all(status in ("error", "success", "queued", "running") for status, _ in statuses), statuses

        # SSRF through a connection a workspace sets.
        for target in [f"{server.base}/metrics", "http://2130706433/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.1/"]:
            status, answer, _ = server.request("PUT", "/api/v1/connections/apollo",
                                               json.dumps({"api_key": "k", "base_url": target}), auth)
            assert status == 422 and b"refused to call" in answer, (target, status)

        # A race for first-run setup: one owner at most.
        _, page, headers = server.request("GET", "/setup")
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        token = cookie.split("=", 1)[1] if "=" in cookie else ""

        def setup(index):
            return server.request("POST", "/setup", f"email=o{index}@acme.example&password=correct+horse+battery&csrf_token={token}",
                                  dict(form, Cookie=cookie))[0]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(setup, range(8)))
        assert all(status < 500 for status in results)
        logins = [server.request("POST", "/login", f"email=o{i}@acme.example&password=correct+horse+battery&csrf_token={token}",
                                 dict(form, Cookie=cookie))[0] for i in range(8)]
        # The one that was first logs in (urllib follows its redirect to the leads page); the others do not exist.
        assert [status for status in logins if status != 401] == [200], logins

        # Password guessing: within 20 wrong passwords in a row from this address (the 7 above count), the next
        # attempt waits.
        guesses = [server.request("POST", "/login", f"email=o0@acme.example&password=guess{i}&csrf_token={token}",
                                  dict(form, Cookie=cookie))[0] for i in range(21)]
        assert 429 in guesses, guesses
        first_wait = guesses.index(429)
        assert first_wait <= 20 and all(status == 401 for status in guesses[:first_wait]), guesses

        # Reads across workspaces.
        status, lead, _ = server.request("POST", "/api/v1/leads", '{"email": "secret@acme.example"}', auth)
        assert status == 201
        lead_id = json.loads(lead)["id"]
        other = {"Authorization": f"Bearer {beta}"}
        assert server.request("GET", f"/api/v1/leads/{lead_id}", None, other)[0] == 404
        assert server.request("GET", f"/api/v1/leads/{lead_id}/events", None, other)[0] == 404
        _, listed, _ = server.request("GET", "/api/v1/leads?q=secret", None, other)
        assert b"secret@acme.example" not in listed
        assert server.request("PATCH", f"/api/v1/leads/{lead_id}", '{"title": "x"}',
                              dict(other, **{"Content-Type": "application/json"}))[0] == 404

        # Still alive, nothing answered 5xx, and it stops cleanly.
        assert server.request("GET", "/healthz")[0] == 200
        server_errors = [entry for entry in server.statuses if entry[0] >= 500]
        assert server_errors == []
        assert server.stop() == 0
        assert "Fatal error" not in open(os.path.join(workdir, "server.log")).read()
