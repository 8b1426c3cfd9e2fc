import Foundation
import LeadgenCore
import SQLKit

/// A newly created API key: the secret is shown once and only its hash is stored.
public struct CreatedAPIKey: Sendable {
    public var id: String
    public var name: String
    /// `lg_` followed by 40 random hexadecimal characters.
    public var secret: String
}

/// Creates API keys and resolves a presented key to its workspace.
public struct APIKeyStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func create(workspace: WorkspaceID, name: String) async throws -> CreatedAPIKey {
        let secret = "lg_" + Secrets.randomHex(bytes: 20)
        let key = CreatedAPIKey(id: ids(), name: name, secret: secret)
        try await database.sql.insert(into: "api_keys")
            .columns("id", "workspace_id", "name", "key_prefix", "key_hash", "created_at")
            .values(
                SQLBind(key.id), SQLBind(workspace.rawValue), SQLBind(name), SQLBind(String(secret.prefix(10))),
                SQLBind(Self.hash(secret)), SQLBind(time.now())
            )
            .run()
        return key
    }

    /// The workspace a key belongs to, or nil for an unknown or revoked key.
    public func authenticate(secret: String) async throws -> (keyID: String, workspace: WorkspaceID)? {
        guard secret.hasPrefix("lg_"), secret.count == 43 else { return nil }
        guard
            let row = try await database.sql.select().columns("id", "workspace_id").from("api_keys")
                .where("key_hash", .equal, Self.hash(secret))
                .where("revoked_at", .is, SQLLiteral.null)
                .first()
        else { return nil }
        return (
            try row.decode(column: "id", as: String.self),
            WorkspaceID(rawValue: try row.decode(column: "workspace_id", as: String.self))
        )
    }

    /// Keys carry 160 random bits, so a fast hash is enough; there is nothing to brute-force.
    static func hash(_ secret: String) -> String { Secrets.sha256Hex(secret) }
}
