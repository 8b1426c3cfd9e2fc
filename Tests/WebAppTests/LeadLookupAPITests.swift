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

/// What integrations (Zapier's searches and actions, Make's modules) call: find a lead by e-mail or LinkedIn
/// URL, add tags, and check a key.
@Suite struct LeadLookupAPITests {
    @Test(arguments: TestDatabases.kinds)
    func findByIdentityAddTagsAndCheckTheKey(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try JSON.parse(
                Data(
                    buffer: try await api.request(
                        .post, "/api/v1/leads",
                        json:
                            #"{"email": "Ada@Acme.com", "other_emails": ["ada@home.example"], "linkedin_url": "https://uk.linkedin.com/in/ada-l?trk=x", "tags": ["vip"]}"#
                    ).body))
            let id = try #require(created["id"]?.stringValue)
            _ = try await api.request(.post, "/api/v1/leads", json: #"{"email": "grace@acme.com"}"#)

            for query in [
                "email=ADA%40acme.com", "email=ada%40home.example", "linkedin_url=linkedin.com%2Fin%2Fada-l",
            ] {
                let page = try JSON.parse(Data(buffer: try await api.request(.get, "/api/v1/leads?\(query)").body))
                #expect(page["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id], "\(query)")
            }
            let none = try JSON.parse(
                Data(buffer: try await api.request(.get, "/api/v1/leads?email=nobody%40acme.com").body))
            #expect(none["data"]?.arrayValue?.isEmpty == true)
            let bad = try await api.request(.get, "/api/v1/leads?email=not-an-address")
            #expect(bad.status == .unprocessableContent)
            #expect(String(buffer: bad.body).contains("email"))

            let tagged = try JSON.parse(
                Data(
                    buffer: try await api.request(
                        .post, "/api/v1/leads/\(id)/tags", json: #"{"tags": ["webinar", "vip"]}"#
                    ).body))
            #expect(tagged["tags"] == .array([.string("vip"), .string("webinar")]))
            #expect(
                try await api.request(.post, "/api/v1/leads/\(id)/tags", json: #"{"tags": []}"#).status
                    == .unprocessableContent)
            #expect(
                try await api.request(.post, "/api/v1/leads/nope/tags", json: #"{"tags": "x"}"#).status == .notFound)

            let me = try JSON.parse(Data(buffer: try await api.request(.get, "/api/v1/me").body))
            #expect(me["workspace_id"] == .string(api.workspace.rawValue))
            #expect(me["role"]?.stringValue != nil)
            #expect(try await api.request(.get, "/api/v1/me", authorized: false).status == .unauthorized)
        }
    }
}
