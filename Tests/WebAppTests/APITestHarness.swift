import App
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LeadgenCore
import NIOFoundationEssentialsCompat
import Storage
import TestSupport

@testable import WebApp

/// The real application over a fresh database, with an API key for the workspace "acme".
struct APITestHarness {
    let root: AppRoot
    let client: any TestClientProtocol
    let apiKey: String
    let workspace: WorkspaceID

    /// `time` and `ids` fix the clock and the ids, for responses compared whole; `configure` sets the rest.
    static func run(
        _ kind: SQLDialectKind, time: TimeSource = .system, ids: IDGenerator = .uuidV7,
        configure: (inout AppSettings) -> Void = { _ in }, web: WebSettings = WebSettings(maxBodySize: 256 * 1024),
        _ body: @Sendable (APITestHarness) async throws -> Void
    ) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let root = AppRoot.testing(database, time: time, ids: ids, configure)
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "acme").id
            let key = try await root.stores.apiKeys.create(workspace: workspace, name: "test").secret
            let app = Application(
                router: try await buildRouter(root, web: web),
                logger: TestDatabases.logger)
            try await app.test(.router) { client in
                try await body(APITestHarness(root: root, client: client, apiKey: key, workspace: workspace))
            }
        }
    }

    func request(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, body: String? = nil,
        contentType: String? = nil, authorized: Bool = true, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if authorized { headers[.authorization] = "Bearer \(apiKey)" }
        if json != nil { headers[.contentType] = "application/json" }
        if let contentType { headers[.contentType] = contentType }
        let payload = (json ?? body).map { ByteBuffer(string: $0) }
        return try await client.execute(uri: uri, method: method, headers: headers, body: payload)
    }

    /// The response body as a JSON object.
    static func object(_ response: TestResponse) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        guard let object = value as? [String: Any] else {
            throw HarnessError.notAnObject(String(buffer: response.body))
        }
        return object
    }

    enum HarnessError: Error { case notAnObject(String) }
}
