"""OpenTelemetry from outside: `leadgen serve` with OTEL_EXPORTER_OTLP_ENDPOINT set sends its spans over OTLP/HTTP
(protobuf, the default) to a collector, here a small receiver that decodes them with OpenTelemetry's own messages. A request continues its caller's trace, a job is a
span with its provider calls inside, the call carries `traceparent` on to the vendor, and the JSON logs carry the
trace id."""
import base64
import http.server
import json
import os
import secrets
import signal
import subprocess
import tempfile
import threading
import urllib.request

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (ExportTraceServiceRequest,
                                                                      ExportTraceServiceResponse)

from test_sandbox import BINARY, call, free_port, wait_for

SERVER, CLIENT, CONSUMER = 2, 3, 5  # OTLP's SpanKind numbers


class Collector(http.server.ThreadingHTTPServer):
    """Keeps every export request it receives at /v1/traces, as dictionaries with OTLP/JSON's hex ids."""

    def __init__(self):
        self.exports = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/v1/traces" and self.headers.get("Content-Type") == "application/x-protobuf":
                    export = ExportTraceServiceRequest.FromString(body)
                    with outer.lock:
                        outer.exports.append(Collector.readable(export))
                    status, answer = 200, ExportTraceServiceResponse().SerializeToString()
                else:
                    status, answer = 415, b""
                self.send_response(status)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @staticmethod
    def readable(export):
        """The message as OTLP/JSON writes it: ids in hex (protobuf's JSON mapping would write base64), kinds as
        numbers."""
        data = MessageToDict(export, use_integers_for_enums=True)

        def hexed(item):
            for key in ("traceId", "spanId", "parentSpanId"):
                if item.get(key):
                    item[key] = base64.b64decode(item[key]).hex()

        for resource in data.get("resourceSpans", []):
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    hexed(span)
                    for link in span.get("links", []):
                        hexed(link)
        return data

    def spans(self):
        with self.lock:
            exports = list(self.exports)
        return [span for export in exports for resource in export.get("resourceSpans", [])
                for scope in resource.get("scopeSpans", []) for span in scope.get("spans", [])]

    def raw(self):
        with self.lock:
            return json.dumps(self.exports)


def attributes(span):
    values = {}
    for item in span.get("attributes", []):
        value = item["value"]
        values[item["key"]] = next(iter(value.values())) if value else None
    return values


def test_requests_jobs_and_provider_calls_are_traced_over_otlp():
    collector = Collector()
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    received = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append({k.lower(): v for k, v in self.headers.items()})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as workdir:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("APOLLO_", "HUBSPOT_", "OTEL_"))}
        env.update(DATABASE_URL=f"sqlite:{workdir}/leadgen.sqlite", LEADGEN_PORT=str(port), LEADGEN_LOG_LEVEL="info",
                   LEADGEN_OUTBOUND_ALLOW=f"localhost:{receiver.server_port}",
                   LEADGEN_LOG_FORMAT="json", OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{collector.server_port}",
                   OTEL_BSP_SCHEDULE_DELAY="200",
                   # Empty, as a copied .env.example leaves them: read as unset, as OpenTelemetry specifies.
                   OTEL_SERVICE_NAME="", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="", OTEL_TRACES_SAMPLER="")
        key = subprocess.run([BINARY, "apikey", "create", "--workspace", "default"], env=env, cwd=workdir,
                             capture_output=True, text=True, check=True).stdout.strip().split()[-1]
        log_path = os.path.join(workdir, "server.log")
        with open(log_path, "w") as log:
            server = subprocess.Popen([BINARY, "serve", "--sandbox"], env=env, cwd=workdir, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        trace_id, parent_id = secrets.token_hex(16), secrets.token_hex(8)
        capability = "tok-" + secrets.token_hex(12)
        try:
            wait_for(lambda: urllib.request.urlopen(base + "/readyz", timeout=2).status == 200, 30)

            request = urllib.request.Request(base + "/api/v1/leads?limit=5")
            request.add_header("Authorization", f"Bearer {key}")
            request.add_header("traceparent", f"00-{trace_id}-{parent_id}-01")
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
            try:
                urllib.request.urlopen(urllib.request.Request(base + f"/hooks/{capability}?token={capability}",
                                                              data=b"{}", method="POST"), timeout=10)
            except urllib.error.HTTPError as refused:
                assert refused.code in (401, 404)

            status, search = call(base, key, "POST", "/api/v1/saved-searches",
                                  {"name": "vps", "query": {"seniorities": ["vp"]}, "max": 5})
            assert status == 201
            status, _ = call(base, key, "POST", f"/api/v1/saved-searches/{search['id']}/run")
            assert status == 202
            wait_for(lambda: call(base, key, "GET", f"/api/v1/saved-searches/{search['id']}")[1].get("last_run"))
            status, hook = call(base, key, "POST", "/api/v1/webhooks",
                                {"url": f"http://localhost:{receiver.server_port}/hook", "events": ["lead.created"]})
            assert status == 201
            status, _ = call(base, key, "POST", f"/api/v1/webhooks/{hook['id']}/test")
            assert status in (200, 202)
            wait_for(lambda: received, 30)
            with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
                metrics = response.read().decode()
        finally:
            # SIGTERM: the exporter stops last and sends what is left.
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            collector.shutdown()
            receiver.shutdown()

        spans = collector.spans()
        assert spans, open(log_path).read()[-3000:]
        services = {attribute["value"]["stringValue"] for export in collector.exports
                    for resource in export["resourceSpans"] for attribute in resource["resource"]["attributes"]
                    if attribute["key"] == "service.name"}
        assert services == {"leadgen"}

        listed = [s for s in spans if s["name"] == "GET /api/v1/leads"]
        assert len(listed) == 1, [s["name"] for s in spans]
        assert listed[0]["traceId"] == trace_id and listed[0]["parentSpanId"] == parent_id
        assert listed[0]["kind"] == SERVER
        assert attributes(listed[0])["http.response.status_code"] in (200, "200")
        assert attributes(listed[0])["http.route"] == "/api/v1/leads"
        assert not [s for s in spans if s["name"] in ("GET /readyz", "GET /metrics")], "probes make no spans"

        # The capability URL's token is in no span, neither in the path nor in the query.
        assert capability not in collector.raw()
        assert any(attributes(s).get("url.path") == "/hooks/…" for s in spans)

        jobs = [s for s in spans if s["kind"] == CONSUMER and s["name"].startswith("job ")]
        assert jobs, [s["name"] for s in spans]
        # The job links back to the request that queued it.
        queued_by = [s for s in spans if s["name"] == "POST /api/v1/saved-searches/{id}/run"]
        assert len(queued_by) == 1
        linked = [j for j in jobs if any(link["spanId"] == queued_by[0]["spanId"]
                                         and link["traceId"] == queued_by[0]["traceId"] for link in j.get("links", []))]
        assert linked, "the job's span does not link to the request that queued it"
        calls = [s for s in spans if s["kind"] == CLIENT and attributes(s).get("leadgen.provider") == "apollo"]
        assert calls, [s["name"] for s in spans]
        job_ids = {s["spanId"] for s in jobs}
        inside = [c for c in calls if c.get("parentSpanId") in job_ids]
        assert inside, "no Apollo call inside a job's span"
        call_span = inside[0]
        assert call_span["traceId"] == next(j["traceId"] for j in jobs if j["spanId"] == call_span["parentSpanId"])
        # The sandbox's Apollo is served by this process: its server span continues the call's trace, which
        # proves the call sent `traceparent`.
        served = [s for s in spans if s["kind"] == SERVER and s.get("parentSpanId") == call_span["spanId"]]
        assert served and served[0]["traceId"] == call_span["traceId"]

        # An outgoing webhook is a client span too, and its receiver gets `traceparent` naming that span.
        hooks = [s for s in spans if s["kind"] == CLIENT and attributes(s).get("leadgen.component") == "webhook"]
        assert len(hooks) == 1
        assert "traceparent" in received[0]
        _, hook_trace, hook_span, _ = received[0]["traceparent"].split("-")
        assert (hook_trace, hook_span) == (hooks[0]["traceId"], hooks[0]["spanId"])
        assert attributes(hooks[0]).get("http.response.status_code") in (204, "204")
        assert "/hook" not in json.dumps(hooks[0]), "no path in the span"

        lines = [json.loads(line) for line in open(log_path) if line.startswith("{")]
        request_lines = [line for line in lines if line.get("trace_id") == trace_id]
        assert request_lines, "no log line carries the request's trace id"
        assert all(line.get("hb.request.id") and line.get("span_id") for line in request_lines)
        assert 'leadgen_http_requests_total{method="GET",route="/api/v1/leads",status="200"} 1' in metrics
