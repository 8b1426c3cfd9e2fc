import App
import Automation
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// `leadgen:EnrollInSequence`: a scenario enrols the lead it is about, once, under the sequence's rules.
@Suite struct EnrollInSequenceModuleTests {
    @Test(arguments: TestDatabases.kinds)
    func aScenarioEnrolsALeadOnceAndSaysWhyItDoesNot(_ kind: SQLDialectKind) async throws {
        try await ProviderHarness.withHarness(kind) { h in
            let sequence = try await h.app.stores.sequences.create(
                name: "Outbound",
                definition: #"{"name": "Outbound", "steps": [{"type": "email", "subject": "Hi", "body": "Hello"}]}"#,
                in: h.workspace)
            var fields = LeadFields()
            fields.email = try EmailAddress(parsing: "ada@acme.example")
            var nameless = LeadFields()
            nameless.firstName = "No"
            nameless.lastName = "Email"
            nameless.phones = [LeadPhone(kind: .mobile, e164: "+14155550100", raw: "+14155550100")]
            let outcomes = try await h.ingestor.ingest(
                [
                    IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test")),
                    IngestItem(input: LeadInput(fields: nameless), source: LeadSourceRef(kind: "test")),
                ], into: h.workspace)
            let ada = try #require(outcomes.first?.leadID)
            let noEmail = try #require(outcomes.last?.leadID)
            let blueprint = #"""
                {"name": "Enrol", "flow": [
                  {"id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": {"hook": 1}},
                  {"id": 2, "module": "leadgen:EnrollInSequence", "version": 1,
                   "mapper": {"sequence_id": "\#(sequence.id)", "lead_id": "{{1.lead}}"}}]}
                """#
            let scenarios = h.app.scenarios
            let imported = try await scenarios.importBlueprint(
                Data(blueprint.utf8), name: nil, enabled: true, in: h.workspace)
            #expect(imported.problems.isEmpty)
            for lead in [ada, ada, noEmail] {
                _ = try await scenarios.start(
                    imported.scenario, trigger: "webhook", bundles: [.object(["lead": .string(lead.rawValue)])])
            }
            try await h.drain()
            let runs = Array(try await scenarios.store.runs(of: imported.scenario.id).reversed())  // oldest first
            #expect(runs.allSatisfy { $0.status == .success })
            let outputs = try runs.map { run -> JSON? in
                let report = try JSON.parse(Data((run.report ?? "{}").utf8))
                return report["modules"]?["2"]?["outputs"]?.arrayValue?.first
            }
            let byLead = Dictionary(grouping: outputs.compactMap { $0 }) { $0["lead_id"]?.stringValue ?? "" }
            let adaRuns = byLead[ada.rawValue] ?? []
            #expect(adaRuns.filter { $0["enrolled"] == .bool(true) }.count == 1, "enrolled once")
            #expect(adaRuns.compactMap { $0["reason"] } == [.string("already_enrolled")])
            #expect(byLead[noEmail.rawValue]?.first?["reason"] == .string("no_email"))
            let enrolled = try await h.app.stores.enrollments.list(
                sequence: sequence.id, in: h.workspace)
            #expect(enrolled.map(\.leadID) == [ada])
        }
    }
}
