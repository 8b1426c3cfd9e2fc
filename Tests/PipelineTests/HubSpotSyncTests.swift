import App
import Foundation
import LeadgenCore
import Pipeline
import SQLKit
import Storage
import TestSupport
import Testing

/// HubSpot sync through the job queue against the HubSpot sandbox over real HTTP, on both databases.
@Suite struct HubSpotSyncTests {
    /// Leads with e-mails and companies: sourced and enriched from the Apollo sandbox.
    func enrichedLeads(_ h: ProviderHarness, _ count: Int) async throws -> Int {
        _ = try await h.source(count)
        _ = try await h.app.enrichment.start(workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
        try await h.drain()
        return try await h.allLeads().filter { $0.fields.email != nil }.count
    }

    func contacts(_ h: ProviderHarness) async throws -> [[String: Any]] {
        try await h.hubspotLedger()["contacts"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabases.kinds)
    func syncsEveryLeadWithAnEmailOnceAndResendsOnlyChanges(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind, sandbox: ProviderHarness.sandboxOptions(people: 600)) { h in
            let withEmail = try await enrichedLeads(h, 230)
            #expect(withEmail > 150)

            let run = try await h.app.sync.start(workspace: h.workspace, scope: .all)
            try await h.drain()
            let done = try #require(try await h.app.stores.sync.run(run.id))
            #expect(done.status == .succeeded)
            #expect(done.leadsCreated == withEmail)
            #expect(done.leadsFailed == 0)
            #expect(done.batchesTotal == (withEmail + 99) / 100)

            var ledger = try await h.hubspotLedger()
            let contacts = ledger["contacts"] as? [[String: Any]] ?? []
            #expect(contacts.count == withEmail)
            let creations = ledger["contact_creations"] as? [String: Int] ?? [:]
            #expect(creations.values.allSatisfy { $0 == 1 })
            let companies = ledger["companies"] as? [[String: Any]] ?? []
            let localCompanies = Set(try await h.allLeads().filter { $0.fields.email != nil }.compactMap(\.companyID))
            #expect(companies.count == localCompanies.count)
            let associations = ledger["associations"] as? [String: [String: [Int]]] ?? [:]
            #expect(associations.count == withEmail)
            let calls = ledger["calls"] as? [String: Int] ?? [:]
            #expect((calls["POST crm/v3/objects/contacts/batch/upsert"] ?? 0) == done.batchesTotal)

            // A second sync of everything sends nothing: the content is what HubSpot has.
            let again = try await h.app.sync.start(workspace: h.workspace, scope: .all)
            try await h.drain()
            let second = try #require(try await h.app.stores.sync.run(again.id))
            #expect(second.leadsUnchanged == withEmail)
            ledger = try await h.hubspotLedger()
            #expect((ledger["calls"] as? [String: Int]) == calls)

            // A lead changed in Leadgen is the only one sent by the next sync of changes, by its HubSpot id.
            let lead = try #require(try await h.allLeads().first { $0.fields.email != nil })
            h.clock.advance(by: 5)
            _ = try await h.leads.update(lead.id, in: h.workspace, actor: "test") { $0.fields.title = "Chief Tester" }
            let changed = try await h.app.sync.start(workspace: h.workspace, scope: .changed)
            try await h.drain()
            let third = try #require(try await h.app.stores.sync.run(changed.id))
            #expect(third.leadsSelected == 1)
            #expect(third.leadsUpdated == 1)
            let updated = try await self.contacts(h).first {
                ($0["properties"] as? [String: String])?["email"] == lead.fields.email?.value
            }
            #expect((updated?["properties"] as? [String: String])?["jobtitle"] == "Chief Tester")
            #expect(try await self.contacts(h).count == withEmail)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func rateLimitsAndServerErrorsAreWaitedOut(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let withEmail = try await enrichedLeads(h, 40)
            try await planSandboxFault(h.root, path: "/contacts/batch/upsert", status: 429, count: 7)
            try await planSandboxFault(h.root, path: "/companies/batch/upsert", status: 502, count: 2)
            let run = try await h.app.sync.start(workspace: h.workspace, scope: .all)
            try await h.drain()
            let done = try #require(try await h.app.stores.sync.run(run.id))
            #expect(done.status == .succeeded)
            #expect(done.leadsCreated == withEmail)
            #expect(try await contacts(h).count == withEmail)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aMappingToAMissingPropertyFailsThoseLeadsWithHubSpotsMessage(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let withEmail = try await enrichedLeads(h, 10)
            _ = try await h.app.stores.connections.save(
                "hubspot", secret: "pat-sandbox-hubspot-token", baseURL: h.root.absoluteString,
                settings: ["field_mapping": #"{"contact": {"seniority": "leadgen_seniority"}}"#], in: h.workspace)
            let run = try await h.app.sync.start(workspace: h.workspace, scope: .all)
            try await h.drain()
            let done = try #require(try await h.app.stores.sync.run(run.id))
            #expect(done.status == .succeeded)
            #expect(done.leadsFailed == withEmail)
            let leads = try await h.allLeads().filter { $0.fields.email != nil }
            let records = try await h.app.stores.sync.records(
                provider: "hubspot", objectType: "lead", localIDs: leads.map(\.id.rawValue))
            #expect(records.count == withEmail)
            #expect(records.values.allSatisfy { $0.lastError?.contains("PROPERTY_DOESNT_EXIST") == true })
            #expect(try await contacts(h).isEmpty)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func autoSyncWaitsUntilALeadIsLeftAloneThenSendsOnlyIt(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            _ = try await enrichedLeads(h, 20)
            _ = try await h.app.sync.start(workspace: h.workspace, scope: .all)
            try await h.drain()
            let lead = try #require(try await h.allLeads().first { $0.fields.email != nil })
            h.clock.advance(by: 60)
            _ = try await h.leads.update(lead.id, in: h.workspace, actor: "test") { $0.fields.title = "Head of Tests" }
            let autoSync = try NewJob(
                kind: HubSpotAutoSyncJob.kind, payload: [String: String](), queue: SyncPlanJob.queue)

            // Edited a moment ago: nothing is sent yet.
            _ = try await h.jobs.enqueue(autoSync)
            try await h.drain(rounds: 1)
            let before = try await h.app.stores.sync.runs(in: h.workspace)
            #expect(before.count == 1)

            // Left alone for the quiet period: one run with that lead alone.
            h.clock.advance(by: 31)
            _ = try await h.jobs.enqueue(autoSync)
            try await h.drain(rounds: 1)
            let runs = try await h.app.stores.sync.runs(in: h.workspace)
            #expect(runs.count == 2)
            #expect(runs.first?.leadsSelected == 1)
            #expect(runs.first?.leadsUpdated == 1)
        }
    }

    @Test func theFieldMappingRefusesUnknownFields() throws {
        #expect(throws: HubSpotFieldMapping.Invalid.self) {
            try HubSpotFieldMapping.parse(#"{"contact": {"favourite_colour": "x"}}"#)
        }
        let mapping = try HubSpotFieldMapping.parse(#"{"contact": {"title": "", "custom:plan": "plan_tier"}}"#)
        #expect(mapping.contact["title"] == "")
        #expect(mapping.contact["custom:plan"] == "plan_tier")
        #expect(mapping.contact["email"] == "email")
    }

    @Test func everyLeadFieldCanBeMappedAndTheFormerCompanyNameStillReads() throws {
        let contact = Dictionary(uniqueKeysWithValues: LeadField.allCases.map { ($0.key, "x_\($0.key)") })
        let json = String(
            decoding: try JSONEncoder().encode(["contact": contact, "company": ["employees": "size"]]), as: UTF8.self)
        let mapping = try HubSpotFieldMapping.parse(json)
        #expect(mapping.company["employee_count"] == "size")
        #expect(mapping.company["employees"] == nil)
        var fields = LeadFields()
        try LeadField.country.set("Germany", in: &fields)
        try LeadField.tags.set("a, b", in: &fields)
        let lead = Lead(
            id: LeadID(rawValue: "l1"), workspaceID: WorkspaceID(rawValue: "w1"), fields: fields, status: .new,
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
        let properties = mapping.contactProperties(lead, company: nil)
        #expect(properties["x_country"] == "Germany")
        #expect(properties["x_tags"] == "a, b")
    }
}
