import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import NIOFoundationEssentialsCompat
import Storage
import TestSupport
import Testing

@testable import WebApp

/// `POST /api/v1/leads/batch`: a JSON array or an NDJSON stream, each item merged as one lead is, with one
/// result per item that names its index or line, and the bad ones rejected with the fields at fault.
@Suite struct LeadBatchAPITests {
    func post(_ api: APITestHarness, _ body: String, type: String) async throws -> TestResponse {
        try await api.client.execute(
            uri: "/api/v1/leads/batch", method: .post,
            headers: [.authorization: "Bearer \(api.apiKey)", .contentType: type], body: ByteBuffer(string: body))
    }

    @Test(arguments: TestDatabases.kinds)
    func aJSONBatchAnswersEachItem(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let ada = try JSON.parse(
                Data(buffer: try await api.request(.post, "/api/v1/leads", json: #"{"email": "ada@acme.com"}"#).body))
            let adaID = try #require(ada["id"]?.stringValue)
            let body =
                #"[{"email": "ADA@acme.com", "title": "CTO"}, {"email": "grace@acme.com"}, {"email": "nope"}, 5]"#
            let first = try JSON.parse(Data(buffer: try await post(api, body, type: "application/json").body))
            let results = try #require(first["data"]?.arrayValue)
            #expect(results.map { $0["outcome"]?.stringValue } == ["merged", "created", "rejected", "rejected"])
            #expect(results[0]["lead_id"] == .string(adaID), "merged into the lead it duplicates")
            #expect(results.map { $0["index"]?.intValue } == [0, 1, 2, 3])
            #expect(results[2]["errors"]?.arrayValue?.first?["field"] == .string("email"))
            #expect(results[3]["reason"]?.stringValue?.contains("not a number") == true)
            #expect(first["summary"]?["created"] == .int(1) && first["summary"]?["rejected"] == .int(2))

            let again = try JSON.parse(
                Data(
                    buffer: try await post(api, #"{"leads": [{"email": "grace@acme.com"}]}"#, type: "application/json")
                        .body))
            #expect(again["data"]?.arrayValue?.first?["outcome"] == .string("unchanged"))

            let tooMany = "[" + Array(repeating: #"{"email": "x@acme.com"}"#, count: 1001).joined(separator: ",") + "]"
            #expect(try await post(api, tooMany, type: "application/json").status == .unprocessableContent)
            #expect(try await post(api, "{not json", type: "application/json").status == .badRequest)
            #expect(try await post(api, #"{"lead": []}"#, type: "application/json").status == .badRequest)
            #expect(try await post(api, "email=x", type: "text/csv").status == .unsupportedMediaType)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func anNDJSONStreamIsMergedInChunksAndAnsweredLineByLine(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            var lines = (1...2_400).map { #"{"email": "person\#($0)@acme.com", "first_name": "P\#($0)"}"# }
            lines[9] = ""  // line 10: blank, skipped
            lines[19] = "{oops"  // line 20
            lines[29] = #"{"email": "person1@acme.com", "title": "Boss"}"#  // line 30: merges into line 1's lead
            lines[39] = #"{"email": ""# + String(repeating: "x", count: LeadBatchController.maxLineBytes) + #""}"#
            let response = try await post(api, lines.joined(separator: "\r\n") + "\n", type: "application/x-ndjson")
            #expect(response.status == .ok)
            let answer = String(buffer: response.body).split(separator: "\n").map { try? JSON.parse(Data($0.utf8)) }
            let items = answer.dropLast().compactMap { $0 }
            #expect(items.count == 2_399, "every line but the blank one")
            let byLine = Dictionary(
                uniqueKeysWithValues: items.compactMap { item in item["line"]?.intValue.map { ($0, item) } })
            #expect(byLine[1]?["outcome"] == .string("created"))
            #expect(byLine[20]?["reason"] == .string("the line is not valid JSON"))
            #expect(byLine[30]?["outcome"] == .string("merged"))
            #expect(byLine[30]?["lead_id"] == byLine[1]?["lead_id"])
            #expect(byLine[40]?["reason"]?.stringValue?.contains("longer than") == true)
            #expect(byLine[2_400]?["outcome"] == .string("created"))
            let summary = try #require(answer.last??["summary"])
            #expect(summary["created"] == .int(2_396) && summary["merged"] == .int(1) && summary["rejected"] == .int(2))
            #expect(try await api.root.stores.leads.count(in: api.workspace) == 2_396)
        }
    }
}
