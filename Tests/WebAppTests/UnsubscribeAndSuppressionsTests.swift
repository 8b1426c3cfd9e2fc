import App
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import NIOFoundationEssentialsCompat
import Outreach
import Storage
import TestSupport
import Testing

@testable import WebApp

/// One-click unsubscribe (RFC 8058) and the suppression list over the API, both audited.
@Suite struct UnsubscribeAndSuppressionsTests {
    static let masterKey = "test-master-key"

    func withApp(
        _ kind: SQLDialectKind,
        _ body: @Sendable (any TestClientProtocol, AppRoot, WorkspaceID, String) async throws -> Void
    ) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let root = AppRoot.testing(database) { $0.masterKey = Self.masterKey }
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "acme").id
            let key = try await root.stores.apiKeys.create(workspace: workspace, name: "test").secret
            let app = Application(
                router: try await buildRouter(root, web: WebSettings(maxBodySize: 256 * 1024)),
                logger: TestDatabases.logger)
            try await app.test(.router) { client in try await body(client, root, workspace, key) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aLinkUnsubscribesOnPostOnlyAndAForgedOneDoesNothing(_ kind: SQLDialectKind) async throws {
        try await withApp(kind) { client, root, workspace, _ in
            let token = UnsubscribeToken(workspaceID: workspace.rawValue, email: "Ada@Prospect.example")
                .token(key: UnsubscribeToken.key(masterKey: Self.masterKey))
            let store = root.stores.suppressions

            let page = try await client.execute(uri: "/u/\(token)", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("method=\"post\""))
            #expect(
                try await !store.isSuppressed(email: "ada@prospect.example", in: workspace), "a GET changes nothing")

            var form = HTTPFields()
            form[.contentType] = "application/x-www-form-urlencoded"
            let done = try await client.execute(
                uri: "/u/\(token)", method: .post, headers: form, body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            )
            #expect(done.status == .ok)
            #expect(try await store.isSuppressed(email: "ada@prospect.example", in: workspace))
            let trail = try await store.history(.email, "ada@prospect.example", in: workspace)
            #expect(trail.map(\.source) == ["one-click"])

            let forged = UnsubscribeToken(workspaceID: workspace.rawValue, email: "bob@prospect.example")
                .token(key: SymmetricKey(data: Data("another key".utf8)))
            let refused = try await client.execute(
                uri: "/u/\(forged)", method: .post, headers: form,
                body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(refused.status == .notFound)
            #expect(try await !store.isSuppressed(email: "bob@prospect.example", in: workspace))
            let garbage = try await client.execute(uri: "/u/not-a-token", method: .get)
            #expect(garbage.status == .notFound)
        }
    }

    @Test func theSuppressionListOverTheAPI() async throws {
        try await withApp(.sqlite) { client, _, _, key in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ json: String? = nil) async throws -> TestResponse {
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(key)"
                if json != nil { headers[.contentType] = "application/json" }
                return try await client.execute(
                    uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
            }
            let added = try await call(
                .post, "/api/v1/suppressions", #"{"kind": "domain", "value": "Competitor.example"}"#)
            #expect(added.status == .created)
            let again = try await call(
                .post, "/api/v1/suppressions", #"{"kind": "domain", "value": "competitor.example"}"#)
            #expect(again.status == .ok)
            let phone = try await call(
                .post, "/api/v1/suppressions",
                #"{"kind": "phone", "value": "+14155550100", "reason": "asked by phone"}"#)
            #expect(phone.status == .created)
            let bad = try await call(.post, "/api/v1/suppressions", #"{"kind": "email", "value": "not an address"}"#)
            #expect(bad.status == .unprocessableContent)
            let badKind = try await call(.post, "/api/v1/suppressions", #"{"kind": "fax", "value": "1"}"#)
            #expect(badKind.status == .unprocessableContent)

            let list = try JSONSerialization.jsonObject(
                with: Data(buffer: try await call(.get, "/api/v1/suppressions").body))
            let values = ((list as? [String: Any])?["data"] as? [[String: Any]])?.compactMap { $0["value"] as? String }
            #expect(Set(values ?? []) == ["competitor.example", "+14155550100"])

            #expect(try await call(.delete, "/api/v1/suppressions/domain/competitor.example").status == .noContent)
            #expect(try await call(.delete, "/api/v1/suppressions/domain/competitor.example").status == .notFound)
            let history = try JSONSerialization.jsonObject(
                with: Data(buffer: try await call(.get, "/api/v1/suppressions/domain/competitor.example/history").body))
            let actions = ((history as? [String: Any])?["data"] as? [[String: Any]])?.compactMap {
                $0["action"] as? String
            }
            #expect(actions == ["opt_out", "opt_out", "opt_in", "opt_in"], "every request is in the audit trail")
        }
    }
}
