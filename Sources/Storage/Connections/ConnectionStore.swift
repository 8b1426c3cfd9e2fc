import Foundation
import LeadgenCore
import SQLKit

/// A workspace's connection to one provider: its credential (kept sealed), an optional base URL, and
/// provider settings such as a field mapping.
public struct ProviderConnection: Sendable, Equatable {
    public var provider: String
    public var secret: String
    public var baseURL: String?
    public var settings: [String: String]
    public var updatedAt: Date

    public init(provider: String, secret: String, baseURL: String?, settings: [String: String], updatedAt: Date) {
        self.provider = provider
        self.secret = secret
        self.baseURL = baseURL
        self.settings = settings
        self.updatedAt = updatedAt
    }
}

/// Stores provider connections per workspace, credentials sealed with the master key.
public struct ConnectionStore: Sendable {
    let database: LeadgenDatabase
    let box: SecretBox?
    let time: TimeSource

    /// `box` is nil when no master key is configured: connections can then be neither stored nor read.
    public init(database: LeadgenDatabase, box: SecretBox?, time: TimeSource) {
        self.database = database
        self.box = box
        self.time = time
    }

    public struct MasterKeyMissing: Error, CustomStringConvertible {
        public var description: String { "LEADGEN_MASTER_KEY must be set to store provider credentials" }
    }

    public func save(
        _ provider: String, secret: String, baseURL: String?, settings: [String: String] = [:],
        in workspace: WorkspaceID
    ) async throws -> ProviderConnection {
        guard let box else { throw MasterKeyMissing() }
        let sealed = try box.seal(secret, context: "\(workspace.rawValue)/\(provider)")
        let now = time.now()
        try await database.sql.raw(
            """
            INSERT INTO provider_connections (workspace_id, provider, sealed_secret, base_url, settings, updated_at)
            VALUES (\(bind: workspace.rawValue), \(bind: provider), \(bind: sealed), \(bind: baseURL),
                    \(bind: JSONText.encode(settings)), \(bind: now))
            ON CONFLICT (workspace_id, provider) DO UPDATE SET sealed_secret = excluded.sealed_secret,
                base_url = excluded.base_url, settings = excluded.settings, updated_at = excluded.updated_at
            """
        ).run()
        return ProviderConnection(
            provider: provider, secret: secret, baseURL: baseURL, settings: settings, updatedAt: now)
    }

    public func get(_ provider: String, in workspace: WorkspaceID) async throws -> ProviderConnection? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT * FROM provider_connections
                WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
                """
            ).first()
        else { return nil }
        guard let box else { throw MasterKeyMissing() }
        return ProviderConnection(
            provider: provider,
            secret: try box.open(try row.decode(column: "sealed_secret"), context: "\(workspace.rawValue)/\(provider)"),
            baseURL: try row.decode(column: "base_url", as: String?.self),
            settings: JSONText.decode([String: String].self, try row.decode(column: "settings"), default: [:]),
            updatedAt: try row.decode(column: "updated_at"))
    }

    /// The providers a workspace has connected, without their credentials.
    public func providers(in workspace: WorkspaceID) async throws -> [(
        provider: String, baseURL: String?, updatedAt: Date
    )] {
        try await database.sql.raw(
            """
            SELECT provider, base_url, updated_at FROM provider_connections
            WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY provider
            """
        ).all().map {
            (
                try $0.decode(column: "provider"), try $0.decode(column: "base_url", as: String?.self),
                try $0.decode(column: "updated_at")
            )
        }
    }

    /// Workspaces with a connection to `provider`.
    public func workspaces(connectedTo provider: String) async throws -> [WorkspaceID] {
        try await database.sql.raw(
            "SELECT workspace_id FROM provider_connections WHERE provider = \(bind: provider) ORDER BY workspace_id"
        ).all().map { WorkspaceID(rawValue: try $0.decode(column: "workspace_id")) }
    }

    public func delete(_ provider: String, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            DELETE FROM provider_connections WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
            RETURNING provider
            """
        ).all().isEmpty
    }
}
