import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Providers
import TestSupport
import Testing

@testable import Automation

/// The HTTP modules against a real server on loopback.
@Suite struct HTTPModuleTests {
    func withServer(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("echo") { request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let payload: [String: String] = [
                "body": text, "type": request.headers[.contentType] ?? "",
                "query": request.uri.query ?? "", "auth": request.headers[.authorization] ?? "",
                "custom": request.headers[HTTPField.Name("X-Custom")!] ?? "",
            ]
            let data = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("hop/loopback") { _, _ -> Response in
            Response(status: .found, headers: [.location: "http://[::1]:9/secret"])
        }
        router.post("hop/same") { _, _ -> Response in
            Response(status: .seeOther, headers: [.location: "/landed"])
        }
        router.get("landed") { request, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "landed, \(request.method.rawValue)")))
        }
        router.get("missing") { _, _ -> Response in
            Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such thing")))
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestDatabases.logger
        )
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    let runner = ScenarioRunner(modules: AutomationModules.all(http: GuardedHTTPClient(policy: .testLoopback)))

    func run(_ module: String, trigger: JSON = .object([:])) async throws -> RunReport {
        let text = #"""
            {"name": "http", "flow": [
              {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}, "mapper": {}},
              \#(module)]}
            """#
        return await runner.run(
            try Blueprint(data: Data(text.utf8)), trigger: [trigger],
            state: RunState(executionID: "run-1", now: { Date() }))
    }

    @Test func version3SendsARawJSONBodyAndParsesTheAnswer() async throws {
        try await withServer { base in
            let report = try await run(
                #"""
                {"id": 2, "module": "http:ActionSendData", "version": 3, "parameters": {"handleErrors": true},
                 "mapper": {"url": "\#(base)/echo", "method": "post", "headers": [{"name": "X-Custom", "value": "{{1.tag}}"}],
                  "qs": [{"name": "page", "value": "2"}], "bodyType": "raw", "contentType": "application/json",
                  "data": "{\"email\": \"{{1.email}}\"}", "parseResponse": true}}
                """#, trigger: .object(["email": .string("ada@acme.com"), "tag": .string("vip")]))
            #expect(report.status == .success)
            let output = try #require(report.modules[2]?.outputs.first)
            #expect(output["statusCode"] == .int(200))
            #expect(output["data"]?["body"] == .string(#"{"email": "ada@acme.com"}"#))
            #expect(output["data"]?["type"] == .string("application/json"))
            #expect(output["data"]?["query"] == .string("page=2"))
            #expect(output["data"]?["custom"] == .string("vip"))
        }
    }

    @Test func version3SendsFormsWithBasicAuth() async throws {
        try await withServer { base in
            let report = try await run(
                #"""
                {"id": 2, "module": "http:ActionSendData", "version": 3, "parameters": {"handleErrors": false},
                 "mapper": {"url": "\#(base)/echo", "method": "post", "bodyType": "x_www_form_urlencoded",
                  "formFields": [{"key": "name", "value": "Ada L"}], "authUser": "u", "authPass": "p", "parseResponse": true}}
                """#)
            let data = report.modules[2]?.outputs.first?["data"]
            #expect(data?["body"] == .string("name=Ada%20L"))
            #expect(data?["auth"] == .string("Basic dTpw"))
        }
    }

    @Test func anErrorStatusFailsTheModuleOnlyWhenAskedTo() async throws {
        try await withServer { base in
            let strict = try await run(
                #"{"id": 2, "module": "http:ActionSendData", "version": 3, "parameters": {"handleErrors": true}, "mapper": {"url": "\#(base)/missing", "method": "get"}}"#
            )
            #expect(strict.status == .error)
            #expect(strict.error == "module 2 (http:ActionSendData): [404] no such thing")
            let lenient = try await run(
                #"{"id": 2, "module": "http:ActionSendData", "version": 3, "parameters": {"handleErrors": false}, "mapper": {"url": "\#(base)/missing", "method": "get"}}"#
            )
            #expect(lenient.status == .success)
            #expect(lenient.modules[2]?.outputs.first?["statusCode"] == .int(404))
        }
    }

    @Test func version4SendsAJSONStringAndParsesJSONAnswers() async throws {
        try await withServer { base in
            let report = try await run(
                #"""
                {"id": 2, "module": "http:MakeRequest", "version": 4, "parameters": {"authenticationType": "noAuth"},
                 "mapper": {"url": "\#(base)/echo", "method": "post", "contentType": "json", "inputMethod": "jsonString",
                  "jsonStringBodyContent": "{\"n\": {{1.n}}}", "queryParameters": [{"name": "q", "value": "x y"}]}}
                """#, trigger: .object(["n": .int(3)]))
            #expect(report.status == .success)
            let data = report.modules[2]?.outputs.first?["data"]
            #expect(data?["body"] == .string(#"{"n": 3}"#))
            #expect(data?["query"] == .string("q=x%20y"))
            let missing = try await run(
                #"{"id": 2, "module": "http:MakeRequest", "version": 4, "parameters": {}, "mapper": {"url": "\#(base)/missing", "method": "get"}}"#
            )
            #expect(missing.status == .error, "v4 stops on an HTTP error by default")
        }
    }

    @Test func anUnreachableHostIsAConnectionErrorForTheErrorRoute() async throws {
        let report = try await run(
            #"""
            {"id": 2, "module": "http:ActionSendData", "version": 3, "parameters": {}, "mapper": {"url": "http://127.0.0.1:9/x", "method": "get", "timeout": 2},
             "onerror": [{"id": 3, "module": "util:SetVariable2", "version": 1, "mapper": {"name": "kind", "value": "{{2.error.type}}"}},
                         {"id": 4, "module": "builtin:Ignore", "version": 1}]}
            """#)
        #expect(report.status == .success)
        #expect(report.modules[3]?.outputs == [.object(["kind": .string("ConnectionError")])])
    }

    struct Keychains: HTTPKeychains {
        let items: [Int: HTTPKeychain]
        func keychain(_ id: Int, workspace: String?) async throws -> HTTPKeychain? { items[id] }
    }

    @Test func keychainVariantsSendTheirCredentialWithoutItBeingInTheBlueprint() async throws {
        let keychains = Keychains(items: [
            7: HTTPKeychain(kind: .apiKey(name: "X-Custom", inQuery: false), secret: "header-key"),
            8: HTTPKeychain(kind: .apiKey(name: "api_key", inQuery: true), secret: "query-key"),
            9: HTTPKeychain(kind: .basic(username: "ada"), secret: "s3cret"),
            10: HTTPKeychain(kind: .bearer, secret: "tok"),
        ])
        let runner = ScenarioRunner(
            modules: AutomationModules.all(http: GuardedHTTPClient(policy: .testLoopback), keychains: keychains))
        try await withServer { base in
            func call(_ module: String, _ parameters: String) async throws -> JSON? {
                let text = #"""
                    {"name": "http", "flow": [
                      {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                      {"id": 2, "module": "\#(module)", "version": 3, "parameters": \#(parameters),
                       "mapper": {"url": "\#(base)/echo", "method": "post", "parseResponse": true,
                                  "jsonStringBodyContent": "{}", "bodyType": "raw", "data": "{}"}}]}
                    """#
                let report = await runner.run(
                    try Blueprint(data: Data(text.utf8)), trigger: [.object([:])],
                    state: RunState(executionID: "run-1", now: { Date() }))
                return report.modules[2]?.outputs.first?["data"]
            }
            #expect(
                try await call("http:ActionSendDataAPIKeyAuth", #"{"auth": 7}"#)?["custom"] == .string("header-key"))
            #expect(
                try await call("http:ActionSendDataAPIKeyAuth", #"{"auth": 8}"#)?["query"]
                    == .string("api_key=query-key"))
            #expect(
                try await call("http:ActionSendDataBasicAuth", #"{"key": 9}"#)?["auth"]
                    == .string("Basic " + Data("ada:s3cret".utf8).base64EncodedString()))
            #expect(try await call("http:ActionSendDataOAuth", #"{"account": 10}"#)?["auth"] == .string("Bearer tok"))
            #expect(
                try await call("http:MakeRequest", #"{"authenticationType": "apiKey", "apiKeyKeychain": 7}"#)?["custom"]
                    == .string("header-key"))
            let missing = await runner.run(
                try Blueprint(
                    data: Data(
                        #"""
                        {"name": "http", "flow": [
                          {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                          {"id": 2, "module": "http:ActionSendDataAPIKeyAuth", "version": 3, "parameters": {"auth": 99},
                           "mapper": {"url": "\#(base)/echo", "method": "post"}}]}
                        """#.utf8)), trigger: [.object([:])], state: RunState(executionID: "run-1", now: { Date() }))
            #expect(missing.status == .error)
            #expect(missing.error?.contains("keychain 99 is not set up") == true)
        }
    }

    /// The production policy, as a workspace's scenario meets it: nothing on this machine.
    static let strict = ScenarioRunner(
        modules: AutomationModules.all(http: GuardedHTTPClient(policy: .system())))

    @Test func aScenarioCannotCallThisMachineOrItsNetwork() async throws {
        try await withServer { base in
            for url in [
                "\(base)/missing", base.replacingOccurrences(of: "127.0.0.1", with: "localhost") + "/missing",
                base.replacingOccurrences(of: "127.0.0.1", with: "2130706433") + "/missing",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "file:///etc/passwd",
            ] {
                let report = await Self.strict.run(
                    try Blueprint(
                        data: Data(
                            #"""
                            {"name": "ssrf", "flow": [
                              {"id": 2, "module": "http:MakeRequest", "version": 4, "mapper": {"url": "\#(url)", "method": "get"}}]}
                            """#.utf8)), trigger: [], state: RunState(executionID: "run-1", now: { Date() }))
                #expect(report.status == .error, "\(url)")
                let error = report.error ?? ""
                #expect(error.contains("refused to call") || error.contains("is not an http or https URL"), "\(error)")
            }
        }
    }

    @Test func redirectsAreCheckedAtEveryHop() async throws {
        try await withServer { base in
            // Only the test server itself is opened, as LEADGEN_OUTBOUND_ALLOW would open one host.
            let hostAndPort = String(base.dropFirst("http://".count))
            let runner = ScenarioRunner(
                modules: AutomationModules.all(http: GuardedHTTPClient(policy: .system(allowedHosts: [hostAndPort]))))
            func run(_ module: String) async throws -> RunReport {
                await runner.run(
                    try Blueprint(data: Data(#"{"name": "r", "flow": [\#(module)]}"#.utf8)), trigger: [],
                    state: RunState(executionID: "run-1", now: { Date() }))
            }
            let refused = try await run(
                #"{"id": 2, "module": "http:MakeRequest", "version": 4, "mapper": {"url": "\#(base)/hop/loopback", "method": "get"}}"#
            )
            #expect(refused.status == .error)
            #expect(refused.error?.contains("loopback (::1)") == true, "\(refused.error ?? "")")

            let unfollowed = try await run(
                #"{"id": 2, "module": "http:MakeRequest", "version": 4, "mapper": {"url": "\#(base)/hop/loopback", "method": "get", "allowRedirects": false, "stopOnHttpError": false}}"#
            )
            #expect(unfollowed.modules[2]?.outputs.first?["statusCode"] == .int(302))

            let followed = try await run(
                #"{"id": 2, "module": "http:MakeRequest", "version": 4, "mapper": {"url": "\#(base)/hop/same", "method": "post", "contentType": "json", "inputMethod": "jsonString", "jsonStringBodyContent": "{}"}}"#
            )
            #expect(
                followed.modules[2]?.outputs.first?["data"] == .string("landed, GET"), "a 303 is followed with a GET")
        }
    }
}
