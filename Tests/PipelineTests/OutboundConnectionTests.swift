import App
import Foundation
import LeadgenCore
import Pipeline
import Providers
import Sandbox
import Storage
import TestSupport
import Testing

/// URLs a workspace stores (a connection's base URL, its Slack webhook) and URLs scenarios and sequences call
/// (Make webhooks, webhook steps) go through the outbound policy; the operator's settings do not.
@Suite struct OutboundConnectionTests {
    @Test(arguments: TestDatabases.kinds)
    func aWorkspaceCannotPointAConnectionAtThisMachine(_ kind: SQLDialectKind) async throws {
        try await withLiveSandbox { root, _ in
            try await TestDatabases.withFresh(kind) { database, _ in
                let app = AppRoot.testing(database) {
                    $0.outbound = .system()
                    $0.masterKey = "k"
                    $0.providers = .sandbox(root: root)
                    // The operator's keys serve the default workspace alone, as outside the sandbox.
                    $0.providers.servesAllWorkspaces = false
                }
                let (workspaces, connections, registry) = (app.stores.workspaces, app.stores.connections, app.registry)
                let trusted = try await workspaces.findOrCreate(slug: "default").id
                let other = try await workspaces.findOrCreate(slug: "acme").id

                // The operator's APOLLO_BASE_URL is on loopback, and trusted.
                let found = try await registry.apollo(for: trusted).matchPerson(
                    ApolloMatchDetails(email: "nobody@nowhere.example"))
                #expect(found == nil)

                // A workspace's own base URL to the same place is refused, naming the rule.
                _ = try await connections.save(
                    "apollo", secret: SandboxOptions.apolloAPIKey,
                    baseURL: root.appendingPathComponent("api/v1").absoluteString, settings: [:], in: other)
                await #expect {
                    _ = try await registry.apollo(for: other).matchPerson(ApolloMatchDetails(email: "a@b.example"))
                } throws: { error in
                    "\(error)".contains("refused to call") && "\(error)".contains("loopback")
                }
                _ = try await connections.save(
                    "slack", secret: "http://169.254.169.254/latest/meta-data/", baseURL: nil, settings: [:], in: other)
                await #expect {
                    try await registry.slack(for: other).post(text: "hi")
                } throws: { error in
                    "\(error)".contains("link-local")
                }
                // Make webhooks and webhook steps are always someone's URL.
                await #expect {
                    _ = try await registry.makeWebhooks.call(root.appendingPathComponent("make/hooks/x"), json: Data())
                } throws: { error in
                    "\(error)".contains("refused to call")
                }
            }
        }
    }
}
