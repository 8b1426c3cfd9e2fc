import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// Scenarios that start on platform events: each event starts one run of every enabled scenario watching it,
/// with the lead in the trigger bundle; a workspace with no such scenario records no events.
@Suite struct PlatformEventTriggerTests {
    static func blueprint(_ events: [String], tag: String) -> String {
        let names = events.map { "\"\($0)\"" }.joined(separator: ",")
        return #"""
            {"name": "On event", "flow": [
              {"id": 1, "module": "leadgen:WatchEvents", "version": 1, "parameters": {"events": [\#(names)]}},
              {"id": 2, "module": "leadgen:AddTag", "version": 1,
               "mapper": {"id": "{{1.lead.id}}", "tag": "\#(tag)-{{1.event}}"}}]}
            """#
    }

    func lead(_ email: String) throws -> IngestItem {
        var fields = LeadFields()
        fields.email = try EmailAddress(parsing: email)
        fields.firstName = "Ada"
        return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))
    }

    @Test(arguments: TestDatabases.kinds)
    func leadEventsStartTheScenariosThatWatchThem(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let scenarios = h.app.scenarios
            // Before any scenario watches events, changes record none.
            _ = try await h.ingestor.ingest([try lead("before@acme.example")], into: h.workspace)
            #expect(try await scenarios.events.backlog() == 0)

            let created = try await scenarios.importBlueprint(
                Data(Self.blueprint(["lead.created"], tag: "a").utf8), name: nil, enabled: true, in: h.workspace)
            #expect(created.problems.isEmpty)
            let status = try await scenarios.importBlueprint(
                Data(Self.blueprint(["lead.status_changed"], tag: "b").utf8), name: nil, enabled: true,
                in: h.workspace)

            let outcome = try await h.ingestor.ingest([try lead("ada@acme.example")], into: h.workspace)
            let id = try #require(outcome.first?.leadID)
            try await h.drain()
            var stored = try #require(try await h.leads.get(id, in: h.workspace))
            #expect(stored.fields.tags == ["a-lead.created"])
            let runs = try await scenarios.store.runs(of: created.scenario.id)
            #expect(runs.map(\.status) == [.success])
            #expect(runs.first?.trigger == "event")
            #expect(runs.first?.input?.contains("ada@acme.example") == true, "the trigger bundle holds the lead")

            // The tag the scenario added is an update, which no scenario watches; a status change starts "b".
            _ = try await h.leads.update(id, in: h.workspace, actor: "test") { $0.status = .contacted }
            try await h.drain()
            stored = try #require(try await h.leads.get(id, in: h.workspace))
            #expect(stored.fields.tags == ["a-lead.created", "b-lead.status_changed"])
            #expect(try await scenarios.store.runs(of: status.scenario.id).count == 1)
            #expect(try await scenarios.store.runs(of: created.scenario.id).count == 1, "each event runs once")
            #expect(try await scenarios.events.backlog() == 0)

            // A disabled scenario is not started, and its events are not recorded.
            try await scenarios.setEnabled(created.scenario, false)
            _ = try await h.ingestor.ingest([try lead("grace@acme.example")], into: h.workspace)
            #expect(try await scenarios.events.backlog() == 0)
        }
    }

    @Test func unknownEventsAreListedAsProblems() async throws {
        try await ProviderHarness.withHarness(.sqlite) { h in
            let imported = try await h.app.scenarios.importBlueprint(
                Data(Self.blueprint(["lead.exploded"], tag: "x").utf8), name: nil, enabled: true, in: h.workspace)
            #expect(
                imported.problems.map(\.message).contains { $0.contains("'lead.exploded' is not a platform event") })
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func twoDispatchersStartEachRunOnce(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Data(Self.blueprint(["lead.created"], tag: "a").utf8), name: nil, enabled: true, in: h.workspace)
            let items = try (0..<50).map { try lead("person\($0)@acme.example") }
            _ = try await h.ingestor.ingest(items, into: h.workspace)
            #expect(try await scenarios.events.backlog() == 50)
            let dispatcher = try #require(
                h.app.handlers[ScenarioEventDispatchJob.kind] as? ScenarioEventDispatchJob)
            async let one = dispatcher.dispatchBatch()
            async let two = dispatcher.dispatchBatch()
            _ = try await (one, two)
            _ = try await dispatcher.dispatchBatch()
            #expect(try await scenarios.events.backlog() == 0)
            #expect(try await scenarios.store.runs(of: imported.scenario.id, limit: 500).count == 50)
        }
    }
}
