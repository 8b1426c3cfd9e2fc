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

/// What the browser extension calls: one lookup for everyone on a page, captures recorded as the extension's
/// with the page they came from, and CORS for the extension's own origin only.
@Suite struct ExtensionAPITests {
    static let extensionID = "abcdefghijklmnopabcdefghijklmnop"
    static var web: WebSettings {
        var web = WebSettings(maxBodySize: 256 * 1024)
        web.extensionIDs = [extensionID]
        return web
    }

    @Test(arguments: TestDatabases.kinds)
    func lookupFindsPeopleByAnyIdentityWithTheirSequences(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let ada = try JSON.parse(
                Data(
                    buffer: try await api.request(
                        .post, "/api/v1/leads",
                        json: #"""
                            {"email": "ada@acme.com", "first_name": "Ada", "linkedin_url": "linkedin.com/in/ada-l",
                             "owner": "sam@ourco.example", "tags": ["vip"], "company": {"name": "Acme", "domain": "acme.com"}}
                            """#
                    ).body))
            let adaID = try #require(ada["id"]?.stringValue)
            let grace = try JSON.parse(
                Data(
                    buffer: try await api.request(
                        .post, "/api/v1/leads", json: #"{"email": "grace@navy.example", "apollo_person_id": "p-7"}"#
                    ).body))
            let graceID = try #require(grace["id"]?.stringValue)
            let sequence = try JSON.parse(
                Data(
                    buffer: try await api.request(.post, "/api/v1/sequences", json: SequencesAPITests.definition)
                        .body))
            let sequenceID = try #require(sequence["id"]?.stringValue)
            #expect(
                try await api.request(
                    .post, "/api/v1/sequences/\(sequenceID)/enroll", json: #"{"lead_ids": ["\#(adaID)"]}"#
                ).status == .ok)

            let answer = try await api.request(
                .post, "/api/v1/leads/lookup",
                json: #"""
                    {"people": [
                      {"linkedin_url": "https://uk.linkedin.com/in/ADA-L/?trk=x"},
                      {"email": "nobody@acme.com", "linkedin_url": "https://www.linkedin.com/in/nobody"},
                      {"email": "not an address"},
                      {"email": "someone@else.example", "apollo_id": "p-7"},
                      {"name": "Ada"},
                      {}
                    ]}
                    """#)
            #expect(answer.status == .ok)
            let data = try #require(JSON.parse(Data(buffer: answer.body))["data"]?.arrayValue)
            #expect(data.count == 6)
            #expect(data.map { $0["index"]?.intValue } == [0, 1, 2, 3, 4, 5])
            #expect(data[0]["matched_by"] == .string("linkedin_url"))
            #expect(data[0]["lead"]?["id"]?.stringValue == adaID)
            #expect(data[0]["lead"]?["status"] == .string("new"))
            #expect(data[0]["lead"]?["owner"] == .string("sam@ourco.example"))
            #expect(data[0]["lead"]?["tags"] == .array([.string("vip")]))
            #expect(data[0]["lead"]?["company"]?["domain"] == .string("acme.com"))
            #expect(data[0]["last_activity_at"]?.stringValue != nil)
            let membership = try #require(data[0]["sequences"]?.arrayValue?.first)
            #expect(membership["sequence_id"] == .string(sequenceID))
            #expect(membership["sequence_name"] == sequence["name"])
            #expect(membership["status"] == .string("active"))
            #expect(membership["step"] == .int(1))
            #expect(data[1]["lead"] == nil && data[1]["error"] == nil)
            #expect(data[2]["error"]?["field"] == .string("people[2].email"))
            #expect(data[2]["lead"] == nil)
            // The strongest identity decides: Apollo's id before an e-mail that belongs to nobody.
            #expect(data[3]["lead"]?["id"]?.stringValue == graceID)
            #expect(data[3]["matched_by"] == .string("apollo_id"))
            #expect(data[3]["sequences"] == .array([]))
            #expect(data[4]["error"]?["field"] == .string("people[4].name"))
            #expect(data[5]["error"]?["field"] == .string("people[5]"))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func lookupRejectsTheWrongShapeWithAClearError(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let many = "[" + Array(repeating: #"{"email": "a@b.example"}"#, count: 101).joined(separator: ",") + "]"
            for (body, field) in [
                (#"{"people": {}}"#, "people"), (#"{"people": []}"#, "people"), (#"{"persons": []}"#, "persons"),
                (#"{"people": \#(many)}"#, "people"),
            ] {
                let answer = try await api.request(.post, "/api/v1/leads/lookup", json: body)
                #expect(answer.status == .unprocessableContent, "\(body.prefix(40))")
                #expect(String(buffer: answer.body).contains(#""field":"\#(field)""#), "\(body.prefix(40))")
            }
            #expect(
                try await api.request(.post, "/api/v1/leads/lookup", json: "{nope").status == .badRequest)
            #expect(
                try await api.request(.post, "/api/v1/leads/lookup", json: #"{"people": []}"#, authorized: false)
                    .status == .unauthorized)
            // A lookup only reads: a viewer's key may make one, though not a capture.
            let viewer = try await api.root.stores.apiKeys.create(workspace: api.workspace, name: "v", role: .viewer)
            let asViewer: HTTPFields = [.authorization: "Bearer \(viewer.secret)", .contentType: "application/json"]
            let lookup = try await api.client.execute(
                uri: "/api/v1/leads/lookup", method: .post, headers: asViewer,
                body: ByteBuffer(string: #"{"people": [{"email": "a@b.example"}]}"#))
            #expect(lookup.status == .ok)
            let capture = try await api.client.execute(
                uri: "/api/v1/leads/batch", method: .post, headers: asViewer, body: ByteBuffer(string: "[]"))
            #expect(capture.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func capturesAreRecordedAsTheExtensionsWithTheirPage(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let body = #"""
                {"source": {"kind": "extension", "url": "https://www.linkedin.com/in/ada-l/"},
                 "leads": [{"first_name": "Ada", "last_name": "L", "linkedin_url": "https://www.linkedin.com/in/ada-l/",
                            "tags": ["linkedin"]}]}
                """#
            let first = try JSON.parse(
                Data(buffer: try await api.request(.post, "/api/v1/leads/batch", json: body).body))
            #expect(first["summary"]?["created"] == .int(1))
            let id = try #require(first["data"]?.arrayValue?.first?["lead_id"]?.stringValue)
            let events = try JSON.parse(
                Data(buffer: try await api.request(.get, "/api/v1/leads/\(id)/events").body))
            let details = events["data"]?.arrayValue?.compactMap { $0["detail"]?.stringValue } ?? []
            #expect(details.contains { $0.contains("extension:https://www.linkedin.com/in/ada-l/") }, "\(details)")
            let again = try JSON.parse(
                Data(buffer: try await api.request(.post, "/api/v1/leads/batch", json: body).body))
            #expect(again["summary"]?["unchanged"] == .int(1))

            for (source, field) in [
                (#"{"kind": "bookmarklet"}"#, "source.kind"), (#"{"url": "x"}"#, "source.kind"),
                (#"{"kind": "extension", "url": "javascript:alert(1)"}"#, "source.url"),
                (#"{"kind": "extension", "page": "x"}"#, "source.page"),
            ] {
                let answer = try await api.request(
                    .post, "/api/v1/leads/batch", json: #"{"source": \#(source), "leads": []}"#)
                #expect(answer.status == .unprocessableContent, "\(source)")
                #expect(String(buffer: answer.body).contains(#""field":"\#(field)""#), "\(source)")
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aLeadDownloadsAsAVCard(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try JSON.parse(
                Data(
                    buffer: try await api.request(
                        .post, "/api/v1/leads",
                        json: #"{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@engines.example"}"#
                    ).body))
            let id = try #require(created["id"]?.stringValue)
            let card = try await api.request(.get, "/api/v1/leads/\(id).vcf")
            #expect(card.status == .ok)
            #expect(card.headers[.contentType] == "text/vcard; charset=utf-8")
            #expect(card.headers[.contentDisposition] == #"attachment; filename="Ada-Lovelace.vcf""#)
            let text = String(buffer: card.body)
            #expect(text.hasPrefix("BEGIN:VCARD\r\nVERSION:4.0\r\n"))
            #expect(text.contains("\r\nEMAIL;TYPE=work;PREF=1:ada@engines.example\r\n"))
            #expect(try await api.request(.get, "/api/v1/leads/\(id)").headers[.contentType] == "application/json")
            #expect(try await api.request(.get, "/api/v1/leads/nobody.vcf").status == .notFound)
        }
    }

    @Test func corsOpensTheAPIToTheListedExtensionsOnly() async throws {
        try await APITestHarness.run(.sqlite, web: Self.web) { api in
            let origin = "chrome-extension://\(Self.extensionID)"
            let preflight = try await api.request(
                .options, "/api/v1/leads/lookup", authorized: false,
                headers: [
                    .origin: origin, .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "authorization, content-type",
                ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == origin)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("authorization") == true)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowCredentials] == nil)

            let me = try await api.request(.get, "/api/v1/me", headers: [.origin: origin])
            #expect(me.status == .ok)
            #expect(me.headers[.accessControlAllowOrigin] == origin)
            #expect(me.headers[values: .vary].contains("Origin"))
            // An error is the extension's to read too: a revoked key shows as such.
            let refused = try await api.request(.get, "/api/v1/me", authorized: false, headers: [.origin: origin])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.accessControlAllowOrigin] == origin)

            for other in ["chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba", "https://evil.example", "null"] {
                let answer = try await api.request(.get, "/api/v1/me", headers: [.origin: other])
                #expect(answer.headers[.accessControlAllowOrigin] == nil, "\(other)")
                let otherPreflight = try await api.request(
                    .options, "/api/v1/me", authorized: false,
                    headers: [.origin: other, .accessControlRequestMethod: "GET"])
                #expect(otherPreflight.headers[.accessControlAllowOrigin] == nil, "\(other)")
                #expect(otherPreflight.status != .noContent, "\(other)")
            }
            // Only the API is opened: the dashboard and its session cookie stay same-origin.
            let page = try await api.request(.get, "/login", authorized: false, headers: [.origin: origin])
            #expect(page.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
