import App
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// A sequence's messages and what comes of them are platform events: a scenario watching `message.sent` and
/// `message.replied` runs once for each, with the lead in its bundle.
@Suite struct OutreachEventsTests {
    @Test(arguments: TestDatabases.kinds)
    func sentAndRepliedMessagesStartTheScenariosWatchingThem(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let imported = try await h.app.scenarios.importBlueprint(
                Data(PlatformEventTriggerTests.blueprint(["message.sent", "message.replied"], tag: "m").utf8),
                name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty)
            _ = try await h.app.stores.senders.save(
                OutreachLimitsTests.sender("rep@sales.example"), in: h.workspace)
            var fields = LeadFields()
            fields.email = try EmailAddress(parsing: "ada@acme.example")
            fields.firstName = "Ada"
            let id = try #require(
                try await h.ingestor.ingest(
                    [IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))],
                    into: h.workspace
                ).first?.leadID)
            let sequence = try await h.app.stores.sequences.create(
                name: "Events", definition: OutreachLimitsTests.sequence, in: h.workspace)
            _ = try await EnrollmentService(
                enrollments: h.app.stores.enrollments, suppressions: h.app.stores.suppressions
            )
            .enroll(try await h.leads.get([id], in: h.workspace), in: sequence)

            let transport = OutreachLimitsTests.RecordingTransport(clock: h.clock)
            var options = OutreachDispatcher.Options()
            options.publicURL = URL(string: "https://leadgen.example")
            options.masterKey = "events-test-key"
            let stores = h.app.stores
            try await OutreachDispatcher(
                database: h.database,
                stores: OutreachDispatcher.Stores(
                    enrollments: stores.enrollments, messages: stores.messages, sequences: stores.sequences,
                    leads: stores.leads, companies: stores.companies, suppressions: stores.suppressions,
                    senders: stores.senders),
                registry: nil, transport: transport, options: options, ids: .uuidV7, time: h.clock.source,
                logger: TestDatabases.logger
            ).run()
            #expect(transport.count == 1)
            try await h.drain()
            var lead = try #require(try await h.leads.get(id, in: h.workspace))
            #expect(lead.fields.tags == ["m-message.sent"])
            #expect(lead.status == .contacted)

            let recorder = h.app.engagement
            let message = try await recorder.record(
                kind: "replied", .init(provider: "sendgrid", from: "ada@acme.example"), at: h.clock.now, event: nil,
                in: h.workspace)
            #expect(message?.leadID == id)
            // A second delivery of the same reply changes nothing.
            try await recorder.record(
                kind: "replied", .init(provider: "sendgrid", from: "ada@acme.example"), at: h.clock.now, event: nil,
                in: h.workspace)
            try await h.drain()
            lead = try #require(try await h.leads.get(id, in: h.workspace))
            #expect(lead.fields.tags == ["m-message.replied", "m-message.sent"])
            #expect(lead.status == .replied)
            #expect(try await h.app.scenarios.store.runs(of: imported.scenario.id).count == 2)
        }
    }
}
