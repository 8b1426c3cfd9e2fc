import Foundation
import LeadgenCore
import SQLKit

/// A URL a form tool posts leads to: its name, how the posted fields map to lead fields, and how much it
/// received. The URL's token is a capability, kept only as its digest and shown once.
public struct InboundHook: Sendable, Equatable {
    public var id: String
    public var workspaceID: WorkspaceID
    public var name: String
    public var mapping: ImportMapping
    public var received: Int
    public var lastReceivedAt: Date?
    public var createdAt: Date
}

/// The inbound webhooks of each workspace.
public struct InboundHookStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    /// A workspace has at most this many.
    public static let limit = 100

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Creates a hook and returns it with the token of its URL, which is shown this once.
    public func create(name: String, mapping: ImportMapping, in workspace: WorkspaceID) async throws
        -> (InboundHook, token: String)
    {
        let token = "ih_" + Secrets.randomHex(bytes: 24)
        let hook = InboundHook(
            id: ids(), workspaceID: workspace, name: name, mapping: mapping, received: 0, lastReceivedAt: nil,
            createdAt: time.now())
        let mappingText = String(decoding: try JSONEncoder().encode(mapping), as: UTF8.self)
        try await database.transaction { db in
            try await WorkspaceLimitReached.check(
                "inbound_hooks", what: "inbound webhooks", limit: Self.limit, in: workspace, on: db)
            try await db.raw(
                """
                INSERT INTO inbound_hooks (id, workspace_id, name, token_hash, mapping, created_at)
                VALUES (\(bind: hook.id), \(bind: workspace.rawValue), \(bind: name),
                    \(bind: Secrets.sha256Hex(token)), \(bind: mappingText), \(bind: hook.createdAt))
                """
            ).run()
        }
        return (hook, token)
    }

    public func list(in workspace: WorkspaceID) async throws -> [InboundHook] {
        try await database.sql.raw(
            "SELECT * FROM inbound_hooks WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY created_at, id"
        ).all().map(Self.hook)
    }

    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            DELETE FROM inbound_hooks WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)
            RETURNING id
            """
        ).all().isEmpty
    }

    /// The hook a URL's token opens; nil for any other text.
    public func hook(forToken token: String) async throws -> InboundHook? {
        guard token.count == 51, token.hasPrefix("ih_"), token.dropFirst(3).allSatisfy(\.isHexDigit) else {
            return nil
        }
        return try await database.sql.raw(
            "SELECT * FROM inbound_hooks WHERE token_hash = \(bind: Secrets.sha256Hex(token))"
        ).first().map(Self.hook)
    }

    /// Counts what a hook received.
    public func recordReceived(_ id: String, count: Int) async throws {
        try await database.sql.raw(
            """
            UPDATE inbound_hooks SET received = received + \(bind: count), last_received_at = \(bind: time.now())
            WHERE id = \(bind: id)
            """
        ).run()
    }

    static func hook(_ row: any SQLRow) throws -> InboundHook {
        let mapping = try row.decode(column: "mapping", as: String.self)
        return InboundHook(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            name: try row.decode(column: "name"),
            mapping: (try? JSONDecoder().decode(ImportMapping.self, from: Data(mapping.utf8))) ?? ImportMapping(),
            received: try row.decode(column: "received"),
            lastReceivedAt: try row.decode(column: "last_received_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at"))
    }
}
