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

@Suite struct LeadsAPITests {
    @Test(arguments: TestDatabases.kinds)
    func createMergeGetUpdateDelete(kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try await api.request(
                .post, "/api/v1/leads",
                json:
                    #"{"email":" Jane.Doe@Acme.com ","full_name":"JANE DOE","phones":["(415) 555-0123"],"company":{"name":"Acme","domain":"https://www.acme.com/"},"tags":["Hot"]}"#
            )
            #expect(created.status == .created)
            let lead = try APITestHarness.object(created)
            let id = try #require(lead["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/leads/\(id)")
            #expect(lead["email"] as? String == "jane.doe@acme.com")
            #expect(lead["first_name"] as? String == "Jane")
            #expect(lead["last_name"] as? String == "Doe")
            #expect((lead["company"] as? [String: Any])?["domain"] as? String == "acme.com")
            #expect((lead["phones"] as? [[String: Any]])?.first?["e164"] as? String == "+14155550123")

            let merged = try await api.request(
                .post, "/api/v1/leads", json: #"{"email":"jane.doe@acme.com","title":"CTO"}"#)
            #expect(merged.status == .ok)
            #expect(try APITestHarness.object(merged)["id"] as? String == id)
            #expect(try APITestHarness.object(merged)["title"] as? String == "CTO")
            #expect(try APITestHarness.object(merged)["seniority"] as? String == "c_suite", "inferred from the title")

            let patched = try await api.request(
                .patch, "/api/v1/leads/\(id)", json: #"{"title":null,"status":"qualified","tags":["Hot","Board"]}"#)
            #expect(patched.status == .ok)
            let patchedLead = try APITestHarness.object(patched)
            #expect(patchedLead["title"] == nil)
            #expect(patchedLead["status"] as? String == "qualified")

            let events = try APITestHarness.object(try await api.request(.get, "/api/v1/leads/\(id)/events"))
            let kinds = (events["data"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }
            #expect(kinds?.first == "created")
            #expect(kinds?.contains("merged") == true)
            #expect(kinds?.contains("updated") == true)

            #expect(try await api.request(.delete, "/api/v1/leads/\(id)").status == .noContent)
            #expect(try await api.request(.get, "/api/v1/leads/\(id)").status == .notFound)
            #expect(try await api.request(.delete, "/api/v1/leads/\(id)").status == .notFound)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func listFiltersAndPaginates(kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            for n in 0..<7 {
                let country = n % 2 == 0 ? "Germany" : "US"
                let response = try await api.request(
                    .post, "/api/v1/leads",
                    json:
                        #"{"email":"p\#(n)@x.com","last_name":"L\#(n)","country":"\#(country)","tags":["t\#(n % 3)"]}"#)
                #expect(response.status == .created)
            }
            var cursor: String?
            var seen: [String] = []
            repeat {
                let uri = "/api/v1/leads?limit=3&sort=last_name" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try APITestHarness.object(try await api.request(.get, uri))
                seen += (page["data"] as? [[String: Any]] ?? []).compactMap { $0["last_name"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == (0..<7).map { "L\($0)" })
            let germans = try APITestHarness.object(try await api.request(.get, "/api/v1/leads?country=DE"))
            #expect((germans["data"] as? [Any])?.count == 4)
            let tagged = try APITestHarness.object(try await api.request(.get, "/api/v1/leads?tag=T1&q=x.com"))
            #expect((tagged["data"] as? [Any])?.count == 2)
        }
    }

    @Test func clientMistakesGetAClearProblemNeverA500() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let cases: [(HTTPRequest.Method, String, String?, HTTPResponse.Status, String)] = [
                (.post, "/api/v1/leads", "{not json", .badRequest, "the body is not valid JSON"),
                (.post, "/api/v1/leads", "[1,2]", .badRequest, "the body must be a JSON object, not an array"),
                (
                    .post, "/api/v1/leads", #"{"email":5}"#, .unprocessableContent,
                    "email: expected a string, got a number"
                ),
                (.post, "/api/v1/leads", #"{"emial":"a@b.co"}"#, .unprocessableContent, "emial: unknown field"),
                (.post, "/api/v1/leads", #"{"title":"CEO"}"#, .unprocessableContent, "email: a lead needs"),
                (
                    .post, "/api/v1/leads", #"{"email":"a@b.co","company":{"domain":"not a domain"}}"#,
                    .unprocessableContent, "company.domain: 'not a domain' is not a valid domain"
                ),
                (.get, "/api/v1/leads?status=hot", nil, .unprocessableContent, "status: expected one of"),
                (.get, "/api/v1/leads?cursor=garbage", nil, .unprocessableContent, "cursor: not a cursor"),
                (
                    .get, "/api/v1/leads?created_after=yesterday", nil, .unprocessableContent,
                    "created_after: expected an ISO 8601"
                ),
                (.get, "/api/v1/nothing-here", nil, .notFound, "GET /api/v1/nothing-here is not part of the API"),
                (.patch, "/api/v1/leads/nope", #"{"title":"x"}"#, .notFound, "lead nope does not exist"),
            ]
            for (method, uri, json, status, detail) in cases {
                let response = try await api.request(method, uri, json: json)
                #expect(response.status == status, "\(method) \(uri) \(json ?? "")")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                let problem = try APITestHarness.object(response)
                #expect((problem["detail"] as? String ?? "").contains(detail), "\(uri): \(problem)")
                #expect(problem["request_id"] as? String == response.headers[.xRequestID])
            }
            let oversized = try await api.request(
                .post, "/api/v1/leads",
                json: #"{"email":"a@b.co","title":""# + String(repeating: "x", count: 2_000_000) + #""}"#)
            #expect(oversized.status == .contentTooLarge)
            let wrongType = try await api.request(
                .post, "/api/v1/leads", body: "email=a@b.co", contentType: "application/x-www-form-urlencoded")
            #expect(wrongType.status == .unsupportedMediaType)
        }
    }

    @Test func requestsWithoutAValidKeyAreRefused() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let anonymous = try await api.request(.get, "/api/v1/leads", authorized: false)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            var headers = HTTPFields()
            headers[.authorization] = "Bearer lg_" + String(repeating: "a", count: 40)
            let forged = try await api.client.execute(uri: "/api/v1/leads", method: .get, headers: headers)
            #expect(forged.status == .unauthorized)
        }
    }

    @Test func otherWorkspacesLeadsAreInvisible() async throws {
        try await APITestHarness.run(.sqlite) { api in
            let created = try APITestHarness.object(
                try await api.request(.post, "/api/v1/leads", json: #"{"email":"secret@acme.com"}"#))
            let id = try #require(created["id"] as? String)
            let other = try await api.root.stores.workspaces.findOrCreate(slug: "other").id
            let otherKey = try await api.root.stores.apiKeys.create(workspace: other, name: "other").secret
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(otherKey)"
            let response = try await api.client.execute(uri: "/api/v1/leads/\(id)", method: .get, headers: headers)
            #expect(response.status == .notFound)
            let list = try await api.client.execute(uri: "/api/v1/leads", method: .get, headers: headers)
            #expect(try (APITestHarness.object(list)["data"] as? [Any])?.isEmpty == true)
        }
    }
}
