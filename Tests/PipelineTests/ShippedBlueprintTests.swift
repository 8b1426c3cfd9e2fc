import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// The blueprints shipped in `automation/make/` run natively end to end against the sandbox.
@Suite struct ShippedBlueprintTests {
    static func blueprint(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("automation/make/\(name)"))
    }

    static func report(_ run: StoredScenarioRun?) throws -> [String: Any] {
        let text = try #require(run?.report)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test(arguments: TestDatabases.kinds)
    func apolloToCRMSearchesEnrichesFiltersUpsertsAndTellsSlack(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                try Self.blueprint("apollo_to_crm_scenario.json"), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty, "\(imported.problems)")

            let run = try await scenarios.start(
                imported.scenario, trigger: "webhook",
                bundles: [.object(["titles": .array([.string("sales")]), "per_page": .int(10)])])
            try await h.drain()
            let finished = try await scenarios.store.run(run.id)
            #expect(finished?.status == .success, "\(finished?.error ?? "")")

            // What the sandbox saw: one search, one paid match per person found, one contact per verified
            // e-mail, one Slack message.
            let apollo = try await h.apolloLedger()
            #expect(apollo.calls["mixed_people/api_search"] == 1)
            #expect(apollo.calls["people/match"] == 10)
            #expect(apollo.credits == 10)
            let report = try Self.report(finished)
            let modules = try #require(report["modules"] as? [String: [String: Any]])
            let matched = try #require(modules["5"]?["outputs"] as? [[String: Any]])
            let verified = matched.compactMap { ($0["body"] as? [String: Any])?["person"] as? [String: Any] }
                .filter { $0["email_status"] as? String == "verified" && $0["email"] is String }
            #expect(!verified.isEmpty && verified.count < 10, "the sandbox directory mixes e-mail statuses")
            let hubspot = try await h.hubspotLedger()
            let contacts = try #require(hubspot["contacts"] as? [[String: Any]])
            #expect(contacts.count == verified.count)
            #expect((modules["6"]?["executions"] as? Int) == verified.count, "the filter lets verified e-mails through")
            let slack = try await sandboxLedger(h.root, "slack")
            let messages = try #require(slack["messages"] as? [[String: Any]])
            #expect(messages.count == 1)
            #expect(
                (messages.first?["text"] as? String)?.hasPrefix("Apollo to HubSpot: \(verified.count) verified") == true
            )

            // The caller is answered with the counts.
            let response = try #require(finished?.response)
            let answer = try JSONDecoder().decode(WebhookResponse.self, from: Data(response.utf8))
            #expect(answer.status == 200)
            #expect(answer.headers["Content-Type"] == "application/json")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Int])
            #expect(body["synced"] == verified.count)
            #expect((body["found"] ?? 0) >= 10)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func leadEnrichmentFlowEnrichesScoresAndRoutesNewLeads(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                try Self.blueprint("lead_enrichment_flow.json"), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty, "\(imported.problems)")

            // New leads from Apollo's directory (ids, names, titles), and two Apollo does not know.
            _ = try await h.source(12)
            try await h.addStrangers(2)
            try await h.drain()

            let runs = try await scenarios.store.runs(of: imported.scenario.id, limit: 100)
            #expect(runs.count == 14, "one run per new lead")
            #expect(runs.allSatisfy { $0.status == .success }, "\(runs.compactMap(\.error))")
            let leads = try await h.allLeads()
            let hot = leads.filter { $0.fields.tags.contains("hot") }
            let nurture = leads.filter { $0.fields.tags.contains("nurture") }
            #expect(hot.count + nurture.count == 14, "every lead is routed one way")
            #expect(!hot.isEmpty && !nurture.isEmpty)
            #expect(hot.allSatisfy { $0.status == .qualified })
            #expect(
                leads.filter { $0.fields.email?.value.hasPrefix("stranger") == true }.allSatisfy {
                    $0.fields.tags.contains("nurture")
                })

            // Enrichment was paid once per person Apollo knows; hot leads reached HubSpot and Slack.
            let apollo = try await h.apolloLedger()
            #expect(apollo.credits == 12)
            let contacts = try #require(try await h.hubspotLedger()["contacts"] as? [[String: Any]])
            #expect(contacts.count == hot.filter { $0.fields.email != nil }.count)
            let messages = try #require(try await sandboxLedger(h.root, "slack")["messages"] as? [[String: Any]])
            #expect(messages.count == hot.count)
            #expect(messages.allSatisfy { ($0["text"] as? String)?.hasPrefix("Hot lead (") == true })
        }
    }
}
