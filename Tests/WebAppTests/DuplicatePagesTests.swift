import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

@testable import WebApp

/// The review queue: pairs side by side, field by field; a member merges one, keeps another apart, accepts
/// every pair above a threshold and queues a scan; a viewer only reads.
@Suite struct DuplicatePagesTests {
    let team = TeamTests()

    static func lead(_ first: String, _ last: String, _ email: String, title: String? = nil) throws -> IngestItem {
        var fields = LeadFields()
        fields.firstName = first
        fields.lastName = last
        fields.email = try EmailAddress(parsing: email)
        fields.title = title
        return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))
    }

    @Test(arguments: TestDatabases.kinds)
    func membersMergeKeepApartAndAcceptAboveAThreshold(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let member = try await team.person(api, "member@acme.example", .member)
            let viewer = try await team.person(api, "viewer@acme.example", .viewer)
            let stores = api.root.stores
            let ids = try await stores.ingestor.ingest(
                [
                    try Self.lead("Ada", "Lovelace", "ada@work.example", title: "Countess"),
                    try Self.lead("Ada", "Lovelace", "ada@home.example"),
                    try Self.lead("Grace", "Hopper", "grace@navy.example"),
                    try Self.lead("Grace", "Hopper", "amazing.grace@home.example"),
                    try Self.lead("Alan", "Turing", "alan@bletchley.example"),
                    try Self.lead("Alan", "Turing", "alan@manchester.example"),
                ], into: api.workspace
            ).map(\.leadID)
            try await stores.duplicatePairs.record(
                [
                    .init(ids[0], ids[1], probability: 0.999, agreed: ["first_name equal", "last_name equal"]),
                    .init(ids[2], ids[3], probability: 0.97, agreed: ["last_name equal"]),
                    .init(ids[4], ids[5], probability: 0.93, agreed: ["first_name equal"]),
                ], in: api.workspace)

            let seen = String(buffer: try await team.get(api, "/duplicates", viewer).body)
            #expect(seen.contains("Probability 0.9990") && seen.contains("first_name equal, last_name equal"))
            #expect(seen.contains("ada@home.example") && seen.contains("Countess"), "side by side, field by field")
            #expect(!seen.contains("/duplicates/merge"), "a viewer gets no forms")
            #expect(
                try await team.post(api, "/duplicates/merge", ["a": ids[0].rawValue, "b": ids[1].rawValue], as: viewer)
                    .status == .forbidden)
            let filtered = String(buffer: try await team.get(api, "/duplicates?min=0.95", viewer).body)
            #expect(filtered.contains("Probability 0.9700") && !filtered.contains("Probability 0.9300"))

            let merged = try await team.post(
                api, "/duplicates/merge", ["a": ids[1].rawValue, "b": ids[0].rawValue], as: member)
            #expect(merged.status == .ok)
            #expect(String(buffer: merged.body).contains("Merged \(ids[1].rawValue) into \(ids[0].rawValue)"))
            #expect(try await stores.leads.get(ids[1], in: api.workspace) == nil, "the lead created first survives")

            let apart = try await team.post(
                api, "/duplicates/distinct", ["a": ids[4].rawValue, "b": ids[5].rawValue], as: member)
            #expect(apart.status == .ok)
            #expect(try await stores.duplicatePairs.distinct(in: api.workspace) == [DuplicatePair.Key(ids[4], ids[5])])

            let bad = try await team.post(api, "/duplicates/accept", ["min_probability": "2"], as: member)
            #expect(bad.status == .badRequest)
            let accepted = try await team.post(api, "/duplicates/accept", ["min_probability": "0.9"], as: member)
            #expect(String(buffer: accepted.body).contains("1 lead(s) merged into another, in 1 group(s)"))
            #expect(try await stores.leads.count(in: api.workspace) == 4, "Grace merged; Alan kept apart")
            #expect(try await stores.duplicatePairs.pairs(.open, in: api.workspace).isEmpty)

            let scan = try await team.post(api, "/duplicates/scan", [:], as: member)
            #expect(String(buffer: scan.body).contains("A scan is queued"))
            #expect(try await stores.jobs.list(state: .pending).contains { $0.kind == DedupeScanJob.kind })
            let nonsense = try await team.post(api, "/duplicates/merge", ["a": "x", "b": "x"], as: member)
            #expect(nonsense.status == .badRequest)
        }
    }
}
