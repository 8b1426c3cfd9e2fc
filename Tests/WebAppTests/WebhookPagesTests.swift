import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import WebApp

/// The webhooks page: everyone sees the endpoints, their last attempts and why one was disabled; admins add
/// one (its secret shown on that page only), pause it and delete it; nobody else can.
@Suite struct WebhookPagesTests {
    let team = TeamTests()

    @Test(arguments: TestDatabases.kinds)
    func adminsManageEndpointsAndEveryoneSeesWhyOneIsDisabled(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let owner = try await team.person(api, "owner@acme.example", .owner)
            let viewer = try await team.person(api, "viewer@acme.example", .viewer)

            let refused = try await team.post(
                api, "/webhooks", ["url": "https://hooks.example.com/a"], as: viewer)
            #expect(refused.status == .forbidden)
            let privateURL = try await team.post(api, "/webhooks", ["url": "http://10.0.0.7/x"], as: owner)
            #expect(privateURL.status == .badRequest)
            #expect(String(buffer: privateURL.body).contains("URL:"))

            let added = try await team.post(
                api, "/webhooks",
                ["url": "http://127.0.0.1:9/a", "description": "CRM", "events": "lead.created"], as: owner)
            #expect(added.status == .ok)
            let addedPage = String(buffer: added.body)
            #expect(addedPage.contains("whsec_"), "the secret is shown once")
            let endpoint = try #require(try await api.root.stores.webhookEndpoints.list(in: api.workspace).first)
            #expect(endpoint.events == ["lead.created"])
            #expect(!String(buffer: try await team.get(api, "/webhooks", owner).body).contains("whsec_"))

            let paused = try await team.post(api, "/webhooks/\(endpoint.id)/status", ["status": "paused"], as: owner)
            #expect(paused.status == .seeOther)
            #expect(try await api.root.stores.webhookEndpoints.get(endpoint.id, in: api.workspace)?.status == .paused)

            // A disabled endpoint is announced with its reason, to viewers too.
            _ = try await api.root.stores.webhookEndpoints.update(
                endpoint.id, in: api.workspace, WebhookEndpointChange(status: .active))
            let messages = api.root.stores.webhookMessages
            _ = try await messages.sendTest(to: endpoint.id, in: api.workspace)
            let due = try #require(try await messages.claim(limit: 1, lease: 30).first)
            try await messages.record(
                due, startedAt: api.root.time.now(),
                result: WebhookAttemptResult(statusCode: 410, responseExcerpt: "gone", durationMilliseconds: 12))
            let seen = String(buffer: try await team.get(api, "/webhooks", viewer).body)
            #expect(seen.contains("1 endpoint(s) disabled"))
            #expect(seen.contains("410 Gone"))
            #expect(seen.contains("webhook.test: HTTP 410"))
            #expect(!seen.contains("/webhooks/\(endpoint.id)/delete"), "a viewer gets no forms")

            let deleted = try await team.post(api, "/webhooks/\(endpoint.id)/delete", [:], as: owner)
            #expect(deleted.status == .seeOther)
            #expect(try await api.root.stores.webhookEndpoints.list(in: api.workspace).isEmpty)
        }
    }
}
