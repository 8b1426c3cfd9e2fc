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

extension ProvidersAPITests {
    /// Mobile numbers asked of Apollo are tracked per person: pending until the webhook brings them, skipped
    /// when Apollo says none will come, and the run and the lead page say which.
    @Test(arguments: TestDatabases.kinds)
    func phonesAskedOfApolloArePendingOrSkippedAndSettledByTheWebhook(_ kind: SQLDialectKind) async throws {
        try await withHarness(kind) { h in
            let (_, search) = try await h.json(
                .post, "/api/v1/saved-searches", #"{"name": "vps", "query": {"seniorities": ["vp"]}, "max": 30}"#)
            _ = try await h.json(.post, "/api/v1/saved-searches/\(try #require(search["id"] as? String))/run")
            try await h.drain()

            let (accepted, started) = try await h.json(.post, "/api/v1/enrichments", #"{"reveal_phones": true}"#)
            #expect(accepted == .accepted)
            let id = try #require(started["id"] as? String)
            try await h.drain()
            let response = try await h.api.request(.get, "/api/v1/enrichments/\(id)")
            #expect(!String(buffer: response.body).contains("webhooks/apollo"), "the capability URL stays private")
            let run = try APITestHarness.object(response)
            #expect((run["selection"] as? [String: Any])?["reveal_phones"] as? Bool == true)
            let phones = try #require(run["phones"] as? [String: Int])
            let enriched = try #require(run["leads_enriched"] as? Int)
            #expect(enriched == 30)
            #expect(phones["pending", default: 0] > 0, "people with a mobile on record")
            #expect(phones["skipped", default: 0] > 0, "people without one: Apollo says none will come")
            #expect(phones["pending", default: 0] + phones["skipped", default: 0] == enriched)

            // The webhook settles the pending ones: delivered with a number, none without.
            let stored = try #require(try await h.app.stores.enrichment.run(id, in: h.api.workspace))
            let token = try #require(stored.selection.phoneWebhookURL.flatMap(URL.init(string:))?.lastPathComponent)
            let reveals = h.app.stores.phoneReveals
            var pending: [PhoneReveal] = []
            var skipped: PhoneReveal?
            for lead in try await h.app.stores.leads.list(LeadQuery(), in: h.api.workspace).leads {
                guard let reveal = try await reveals.latest(for: lead.id, in: h.api.workspace) else { continue }
                if reveal.status == .pending { pending.append(reveal) } else { skipped = reveal }
            }
            let (withNumber, withoutNumber) = (try #require(pending.first), try #require(pending.last))
            #expect(withNumber.personID != withoutNumber.personID)
            let delivery = """
                {"status":"success","people":[
                  {"id":"\(withNumber.personID)","status":"success","phone_numbers":[{"sanitized_number":"+14155550100","type_cd":"mobile"}]},
                  {"id":"\(withoutNumber.personID)","status":"success","phone_numbers":[]}]}
                """
            let posted = try await h.api.request(.post, "/webhooks/apollo/\(token)", json: delivery, authorized: false)
            #expect(posted.status == .ok)
            let after = try APITestHarness.object(try await h.api.request(.get, "/api/v1/enrichments/\(id)"))
            let settled = try #require(after["phones"] as? [String: Int])
            #expect(settled["delivered"] == 1)
            #expect(settled["none"] == 1)
            #expect(settled["pending"] == phones["pending", default: 0] - 2)
            #expect(try await reveals.latest(for: withNumber.leadID, in: h.api.workspace)?.settledAt != nil)

            // The lead page says what to expect.
            let owner = try #require(
                try await h.app.stores.users.create(
                    workspace: h.api.workspace, email: try EmailAddress(parsing: "owner@acme.example"), name: nil,
                    passwordHash: "x", otherwise: .owner, onlyIfFirst: false))
            let cookie = "leadgen_session=\(try await h.app.stores.sessions.create(for: owner))"
            let skippedLead = try #require(skipped?.leadID)
            let page = try await h.api.client.execute(
                uri: "/leads/\(skippedLead.rawValue)", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: page.body).contains("Apollo will not send one"))
        }
    }
}
