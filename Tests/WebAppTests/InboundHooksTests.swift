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

/// Inbound webhooks: a form tool posts JSON or a form to the hook's URL and each record is merged like an
/// imported row, with the hook's mapping and tags; a bad record is rejected with its reason.
@Suite struct InboundHooksTests {
    func post(_ api: APITestHarness, _ path: String, _ body: String, type: String = "application/json")
        async throws -> (HTTPResponse.Status, JSON)
    {
        let response = try await api.client.execute(
            uri: path, method: .post, headers: [.contentType: type], body: ByteBuffer(string: body))
        return (response.status, (try? JSON.parse(Data(buffer: response.body))) ?? .null)
    }

    @Test(arguments: TestDatabases.kinds)
    func postsBecomeLeadsThroughTheNormalMerge(_ kind: SQLDialectKind) async throws {
        try await APITestHarness.run(kind) { api in
            let created = try await api.request(
                .post, "/api/v1/inbound-hooks",
                json: #"{"name": "Webinar form", "mapping": {"columns": {"Work email": "email"}, "tags": ["webinar"]}}"#
            )
            #expect(created.status == .created)
            let hook = try JSON.parse(Data(buffer: created.body))
            let path = try #require(hook["url"]?.stringValue)
            #expect(path.hasPrefix("/webhooks/inbound/ih_"))
            let listed = String(buffer: try await api.request(.get, "/api/v1/inbound-hooks").body)
            #expect(listed.contains("Webinar form") && !listed.contains(path), "the URL is shown once")

            let (status, answer) = try await post(
                api, path, #"{"Work email": " Ada@Acme.COM ", "name": "Ada Lovelace", "utm": {"source": "ads"}}"#)
            #expect(status == .ok)
            let first = try #require(answer["data"]?.arrayValue?.first)
            #expect(first["outcome"] == .string("created"))
            let id = LeadID(rawValue: try #require(first["lead_id"]?.stringValue))
            let lead = try #require(try await api.root.stores.leads.get(id, in: api.workspace))
            #expect(lead.fields.email?.value == "ada@acme.com")
            #expect(lead.fields.tags == ["webinar"])
            #expect(lead.fields.customFields["utm.source"] == "ads")
            #expect(lead.fields.fullName == "Ada Lovelace")

            let again = try await post(api, path, #"{"Work email": "ada@acme.com", "name": "Ada Lovelace"}"#)
            #expect(again.1["data"]?.arrayValue?.first?["outcome"] == .string("unchanged"), "\(again.1)")
            let form = try await post(
                api, path, "email=grace%40acme.com&first_name=Grace&last_name=Hopper",
                type: "application/x-www-form-urlencoded")
            #expect(form.0 == .ok)
            #expect(form.1["data"]?.arrayValue?.first?["outcome"] == .string("created"))

            let mixed = try await post(
                api, path, #"[{"comment": "hi"}, {"email": "not an address"}, {"email": "k@acme.com"}]"#)
            #expect(mixed.0 == .ok)
            let items = try #require(mixed.1["data"]?.arrayValue)
            #expect(items.map { $0["outcome"]?.stringValue } == ["rejected", "rejected", "created"])
            #expect(items[0]["reason"]?.stringValue?.contains("identifies a person") == true)
            #expect(items[1]["reason"]?.stringValue?.contains("e-mail") == true, "\(items[1])")

            #expect(try await post(api, path, #"{"comment": "no one"}"#).0 == .unprocessableContent)
            #expect(try await post(api, path, "{not json").0 == .badRequest)
            #expect(try await post(api, path, "[]").0 == .badRequest)
            #expect(try await post(api, path, "email=x", type: "text/plain").0 == .unsupportedMediaType)
            #expect(
                try await post(api, "/webhooks/inbound/ih_" + String(repeating: "0", count: 48), "{}").0 == .notFound)
            #expect(try await post(api, "/webhooks/inbound/nope", "{}").0 == .notFound)

            let hooks = try await api.root.stores.inboundHooks.list(in: api.workspace)
            #expect(hooks.first?.received == 7, "records read, rejected ones too")
            let hookID = try #require(hooks.first?.id)
            #expect(try await api.request(.delete, "/api/v1/inbound-hooks/\(hookID)").status == .noContent)
            #expect(try await post(api, path, #"{"email": "late@acme.com"}"#).0 == .notFound)
        }
    }
}
