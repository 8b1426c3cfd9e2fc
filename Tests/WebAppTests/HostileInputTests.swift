import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import NIOFoundationEssentialsCompat
import Storage
import TestSupport
import Testing

@testable import WebApp

/// Inputs that once stopped the whole process (a trap on a malformed form, an overflowing number, an empty
/// name): each now gets a 4xx with a problem+json body, on both databases, and the server goes on answering.
@Suite struct HostileInputTests {
    static let forms = ["=", "a=1&=&b=2", "&&&", "%", "a=%zz&%", "=%E2%82"]

    static var formHeaders: HTTPFields { [.contentType: "application/x-www-form-urlencoded"] }

    static func expectProblem(_ response: TestResponse, _ statuses: Set<Int>, _ what: String) {
        #expect(statuses.contains(Int(response.status.code)), "\(what): \(response.status)")
        #expect(response.headers[.contentType] == "application/problem+json", "\(what)")
        let object = try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        #expect(object?["status"] as? Int == Int(response.status.code), "\(what): a problem body")
    }

    @Test(arguments: TestDatabases.kinds)
    func malformedFormsToAScenarioHookAreRefused(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try await api.request(
                .post, "/api/v1/scenarios?enabled=true",
                json: ScenariosAPITests.echo.replacingOccurrences(of: "CONFIDENTIAL", with: "false"))
            let path = try #require(try APITestHarness.object(created)["webhook_path"] as? String)
            for form in Self.forms {
                let answer = try await api.client.execute(
                    uri: path, method: .post, headers: Self.formHeaders, body: ByteBuffer(string: form))
                if form.hasPrefix("=") || form.contains("&=") {
                    Self.expectProblem(answer, [400], "hook form \(form)")
                } else {
                    // Forms whose fields all have names are data like any other.
                    #expect(answer.status.code < 500, "hook form \(form): \(answer.status)")
                }
            }
            let health = try await api.client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func malformedFormsToVendorWebhooksAreRefusedUnsigned(_ kind: SQLDialectKind) async throws {
        try await MessagingWebhooksTests().withHarness(kind) { h in
            for path in ["/webhooks/twilio/status", "/webhooks/twilio/inbound", "/webhooks/mailgun/inbound"] {
                for form in Self.forms {
                    let answer = try await h.post(path, form, headers: Self.formHeaders)
                    Self.expectProblem(answer, [401], "\(path) with \(form)")
                }
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func blueprintsWithHugeNumbersAreRefused(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            for blueprint in [
                #"{"flow":[{"id":1e300}]}"#, #"{"flow":[{"id":-1e300, "module": "a:b"}]}"#,
                #"{"flow":[{"id":1.5, "module": "a:b"}]}"#, #"{"flow":[{"id":9223372036854775808, "module": "a:b"}]}"#,
            ] {
                let answer = try await api.request(.post, "/api/v1/scenarios", json: blueprint)
                Self.expectProblem(answer, [400, 422], "blueprint \(blueprint)")
            }
        }
    }

    static func sequence(steps: String, extra: String = "") -> String {
        #"{"name": "S", "steps": \#(steps)\#(extra)}"#
    }

    static let email = #"{"type": "email", "subject": "Hi", "body": "Hello"}"#

    @Test(arguments: TestDatabases.kinds)
    func sequencesThatOnceTrappedAreRefusedWithTheirPath(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let cases: [(String, String)] = [
                (Self.sequence(steps: "[\(Self.email)]", extra: #", "holidays": ["2024-½½-01"]"#), "holidays[0]"),
                (Self.sequence(steps: "[\(Self.email)]", extra: #", "holidays": ["२०२४-०१-०१"]"#), "holidays[0]"),
                (
                    Self.sequence(
                        steps: #"[\#(Self.email), {"type": "wait", "days": 9223372036854775807, "hours": 1}]"#),
                    "steps[1]"
                ),
                (
                    Self.sequence(
                        steps: #"[\#(Self.email), {"type": "wait", "days": 1, "hours": 9223372036854775807}]"#),
                    "steps[1]"
                ),
                (Self.sequence(steps: #"[{"type": "email", "subject": "Hi", "body": "{{..}}"}]"#), "steps[0]"),
                (Self.sequence(steps: #"[{"type": "email", "subject": "{{a..b}}", "body": "x"}]"#), "steps[0]"),
                (
                    Self.sequence(
                        steps:
                            #"[{"type": "email", "subject": "Hi", "body": "\#(String(repeating: "{{#a}}", count: 5000))"}]"#
                    ),
                    "steps[0]"
                ),
            ]
            for (definition, path) in cases {
                let answer = try await api.request(.post, "/api/v1/sequences", json: definition)
                Self.expectProblem(answer, [400, 422], "sequence \(definition.prefix(120))")
                #expect(String(buffer: answer.body).contains(path), "\(definition.prefix(120)) names \(path)")
            }
        }
    }

    static let plantingHook = #"""
        {"name": "Planter", "flow": [
          {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
          {"id": 2, "module": "gateway:WebhookRespond", "version": 1, "mapper": {"status": "302",
            "body": "<script>document.cookie</script>",
            "headers": [
              {"key": "Content-Type", "value": "text/html"},
              {"key": "Set-Cookie", "value": "leadgen_session=planted; Path=/"},
              {"key": "Content-Security-Policy", "value": "script-src *"},
              {"key": "X-Frame-Options", "value": "ALLOWALL"},
              {"key": "Strict-Transport-Security", "value": "max-age=0"},
              {"key": "Location", "value": "{{1.to}}"},
              {"key": "X-Custom", "value": "kept"}]}}],
         "metadata": {"instant": true, "version": 1, "scenario": {"roundtrips": 1, "maxErrors": 3}}}
        """#

    @Test(arguments: TestDatabases.kinds)
    func aHookAnswerCannotSetCookiesPoliciesOrScriptOnTheDashboardOrigin(_ kind: SQLDialectKind) async throws {
        try await ScenariosAPITests().withWorker(kind) { api in
            let created = try await api.request(.post, "/api/v1/scenarios?enabled=true", json: Self.plantingHook)
            let path = try #require(try APITestHarness.object(created)["webhook_path"] as? String)
            for (target, kept) in [
                ("https://example.com/next", true), ("javascript:alert(1)", false), ("//evil.example/x", false),
                ("/login", false),
            ] {
                let answer = try await api.client.execute(
                    uri: path, method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"to": "\#(target)"}"#))
                #expect(answer.status.code == 302)
                #expect(answer.headers[.setCookie] == nil, "no cookie on the dashboard's origin")
                #expect(answer.headers[.contentSecurityPolicy] == "sandbox; default-src 'none'")
                #expect(answer.headers[values: .contentSecurityPolicy].count == 1)
                #expect(answer.headers[HTTPField.Name("Strict-Transport-Security")!] == nil)
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "ours, not the scenario's")
                #expect(answer.headers[HTTPField.Name("X-Custom")!] == "kept")
                #expect(answer.headers[.contentType] == "text/html")
                #expect((answer.headers[.location] == target) == kept, "Location \(target)")
                if !kept { #expect(answer.headers[.location] == nil) }
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func connectionsToPrivateAddressesAreRefusedWhenSaved(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            for (provider, body, rule) in [
                ("apollo", #"{"api_key": "k", "base_url": "http://169.254.169.254/latest"}"#, "link-local"),
                ("slack", #"{"webhook_url": "http://10.0.0.5/hook"}"#, "RFC 1918"),
                ("hubspot", #"{"access_token": "t", "base_url": "gopher://example.com"}"#, "http or https"),
            ] {
                let answer = try await api.request(.put, "/api/v1/connections/\(provider)", json: body)
                Self.expectProblem(answer, [422], "\(provider) \(body)")
                #expect(String(buffer: answer.body).contains(rule), "\(String(buffer: answer.body))")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aMultipartUploadWithABinaryHeaderNameIsA400(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            var body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n".utf8)
            body += [0xE9, 0xFF] + Array(": x\r\n\r\nemail\r\na@b.co\r\n--XyZ--\r\n".utf8)
            let answer = try await api.client.execute(
                uri: "/api/v1/imports", method: .post,
                headers: [
                    .authorization: "Bearer \(api.apiKey)", .contentType: "multipart/form-data; boundary=XyZ",
                ],
                body: ByteBuffer(bytes: body))
            Self.expectProblem(answer, [400], "binary header name")
            #expect(String(buffer: answer.body).contains("header name is not a token"))
            let health = try await api.client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
    }

    @Test func aMethodAKnownPathDoesNotAnswerIsA405WithAllow() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let leads = try await api.client.execute(uri: "/api/v1/leads", method: .init("TRACE")!)
            Self.expectProblem(leads, [405], "TRACE /api/v1/leads")
            #expect(leads.headers[.allow] == "GET, POST")
            let lead = try await api.client.execute(uri: "/api/v1/leads/some-id", method: .post)
            #expect(lead.status == .methodNotAllowed)
            #expect(lead.headers[.allow] == "DELETE, GET, PATCH")
            let health = try await api.client.execute(uri: "/healthz", method: .delete)
            #expect(health.status == .methodNotAllowed)
            #expect(health.headers[.allow] == "GET")
            let unknown = try await api.client.execute(uri: "/api/v1/nothing-here", method: .get)
            #expect(unknown.status == .notFound, "a path no route has stays a 404")
        }
    }
}
