import Foundation
import LeadgenCore
import Logging
import Sandbox
import TestSupport
import Testing

@testable import Providers

/// The Make API v2 and custom-webhook clients against the sandbox over real HTTP.
@Suite struct MakeClientTests {
    static let transport = ProviderTransport(
        logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 })

    func client(_ root: URL, token: String = SandboxOptions.makeAPIToken) -> MakeClient {
        MakeClient(
            transport: Self.transport,
            endpoint: MakeClient.endpoint(token: token, baseURL: root.appendingPathComponent("make/api/v2")))
    }

    var options: SandboxOptions {
        var options = SandboxOptions()
        options.people = 10
        return options
    }

    @Test func apiTokensGoAsTokenAndOAuthTokensAsBearer() {
        let api = MakeClient.endpoint(
            token: SandboxOptions.makeAPIToken, baseURL: URL(string: "https://eu1.make.com/api/v2")!)
        #expect(api.headers.first?.value == "Token \(SandboxOptions.makeAPIToken)")
        let oauth = MakeClient.endpoint(token: "eyJhbGciOiJSUzI1NiJ9.payload.signature", baseURL: api.baseURL)
        #expect(oauth.headers.first?.value == "Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature")
        #expect(MakeClient.baseURL(zone: "us2.make.com")?.absoluteString == "https://us2.make.com/api/v2")
    }

    @Test func theTokensUserIsRead() async throws {
        try await withLiveSandbox(options) { root, _ in
            let user = try await client(root).currentUser()
            #expect(user == MakeClient.User(id: 1, name: "Sandbox User"))
            await #expect {
                try await client(root, token: "not-a-token").currentUser()
            } throws: { error in
                if case MakeError.unauthorized = error { return true }
                return false
            }
        }
    }

    @Test func scenariosAreListedAndRunWithOrWithoutWaiting() async throws {
        try await withLiveSandbox(options) { root, _ in
            let make = client(root)
            let scenarios = try await make.listScenarios(teamID: SandboxOptions.makeTeamID)
            #expect(scenarios.map(\.id) == [101, 102, 103])
            #expect(scenarios.first { $0.id == 103 }?.isActive == false)

            let waited = try await make.runScenario(
                101, data: Data(#"{"lead":"ada@acme.example"}"#.utf8), responsive: true)
            #expect(waited.status == 1)
            let outputs = try #require(waited.outputs)
            let parsed = try JSONSerialization.jsonObject(with: outputs) as? [String: Any]
            #expect((parsed?["received"] as? [String: String])?["lead"] == "ada@acme.example")
            let queued = try await make.runScenario(101, data: nil, responsive: false)
            #expect(queued.status == nil && queued.outputs == nil && queued.executionID != waited.executionID)

            let ledger = try await sandboxLedger(root, "make")
            #expect((ledger["runs"] as? [Any])?.count == 2, "each call is one run")
        }
    }

    @Test func makesErrorsAreTyped() async throws {
        try await withLiveSandbox(options) { root, _ in
            await #expect(
                throws: MakeError.rejected(status: 400, code: "IM007", message: "teamId or organizationId is required.")
            ) {
                try await client(root).listScenarios(teamID: nil)
            }
            await #expect(
                throws: MakeError.rejected(status: 400, code: "IM016", message: "Activate the scenario to run it.")
            ) {
                try await client(root).runScenario(103, data: nil, responsive: true)
            }
            await #expect(throws: MakeError.notFound("Scenario 999 does not exist.")) {
                try await client(root).runScenario(999, data: nil, responsive: true)
            }
            await #expect(throws: MakeError.unauthorized("Invalid or missing API token.")) {
                try await client(root, token: "0b7c1d2e-3f4a-4b5c-8d6e-7f8091a2b3c4").listScenarios(teamID: 1)
            }
            try await planSandboxFault(root, path: "/make/api/v2/scenarios/101/run", status: 503)
            await #expect(throws: MakeError.unavailable("HTTP 503: Planned fault")) {
                try await client(root).runScenario(101, data: nil, responsive: true)
            }
            let ledger = try await sandboxLedger(root, "make")
            #expect((ledger["runs"] as? [Any])?.isEmpty == true, "a 5xx is not sent again: it may have started a run")
        }
    }

    @Test func customWebhooksAnswerAcceptedOr410() async throws {
        try await withLiveSandbox(options) { root, _ in
            let hooks = MakeWebhookClient(transport: Self.transport, outbound: .testLoopback)
            let hook = root.appendingPathComponent("make/hooks/\(SandboxOptions.makeHookToken)")
            let answer = try await hooks.call(hook, json: Data(#"{"email":"ada@acme.example"}"#.utf8))
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self) == "Accepted")
            await #expect(throws: MakeError.hookGone) {
                try await hooks.call(root.appendingPathComponent("make/hooks/nobody-listens"), json: Data("{}".utf8))
            }
            let calls = try #require(try await sandboxLedger(root, "make")["hook_calls"] as? [[String: Any]])
            #expect(calls.count == 1)
            #expect((calls.first?["body"] as? [String: String])?["email"] == "ada@acme.example")
        }
    }
}
