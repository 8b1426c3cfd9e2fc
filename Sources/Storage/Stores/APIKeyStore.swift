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

/// A key as listed: never its secret, only the first characters that tell it apart.
public struct APIKeyInfo: Sendable, Equatable {
    public var id: String
    public var name: String
    public var prefix: String
    public var role: Role
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?
}

/// Who presented a valid key: the key, its workspace and its role.
public struct APIKeyHolder: Sendable, Equatable {
    public var keyID: String
    public var workspace: WorkspaceID
    public var role: Role
}

/// Creates, lists and revokes API keys, and resolves a presented key to its workspace and role.
public struct APIKeyStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource
    /// `last_used_at` is written at most this often per key, not on every request.
    static let lastUsedResolution: TimeInterval = 60

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func create(workspace: WorkspaceID, name: String, role: Role = .admin, expiresAt: Date? = nil)
        async throws -> CreatedAPIKey
    {
        let secret = "lg_" + Secrets.randomHex(bytes: 20)
        let key = CreatedAPIKey(id: ids(), name: name, secret: secret)
        try await database.sql.insert(into: "api_keys")
            .columns("id", "workspace_id", "name", "key_prefix", "key_hash", "role", "expires_at", "created_at")
            .values(
                SQLBind(key.id), SQLBind(workspace.rawValue), SQLBind(name), SQLBind(String(secret.prefix(10))),
                SQLBind(Self.hash(secret)), SQLBind(role.rawValue), SQLBind(expiresAt), SQLBind(time.now())
            )
            .run()
        return key
    }

    /// The holder of a key, or nil for an unknown, revoked or expired one. Notes when the key was last used.
    public func authenticate(secret: String) async throws -> APIKeyHolder? {
        guard secret.hasPrefix("lg_"), secret.count == 43 else { return nil }
        let now = time.now()
        guard
            let row = try await database.sql.select()
                .columns("id", "workspace_id", "role", "expires_at", "last_used_at").from("api_keys")
                .where("key_hash", .equal, Self.hash(secret))
                .where("revoked_at", .is, SQLLiteral.null)
                .first()
        else { return nil }
        if let expires = try row.decode(column: "expires_at", as: Date?.self), expires <= now { return nil }
        let id = try row.decode(column: "id", as: String.self)
        let lastUsed = try row.decode(column: "last_used_at", as: Date?.self)
        if lastUsed.map({ now.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
            try await database.sql.update("api_keys").set("last_used_at", to: SQLBind(now)).where("id", .equal, id)
                .run()
        }
        return APIKeyHolder(
            keyID: id, workspace: WorkspaceID(rawValue: try row.decode(column: "workspace_id", as: String.self)),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer)
    }

    /// The workspace's keys, newest first, revoked ones included.
    public func list(in workspace: WorkspaceID, limit: Int = 1000) async throws -> [APIKeyInfo] {
        try await database.sql.select()
            .columns("id", "name", "key_prefix", "role", "created_at", "expires_at", "last_used_at", "revoked_at")
            .from("api_keys").where("workspace_id", .equal, workspace.rawValue)
            .orderBy("id", .descending).limit(limit).all()
            .map { row in
                APIKeyInfo(
                    id: try row.decode(column: "id", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    prefix: try row.decode(column: "key_prefix", as: String.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .viewer,
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    expiresAt: try row.decode(column: "expires_at", as: Date?.self),
                    lastUsedAt: try row.decode(column: "last_used_at", as: Date?.self),
                    revokedAt: try row.decode(column: "revoked_at", as: Date?.self))
            }
    }

    /// Revokes a key at once; false when there is no such key or it was revoked already.
    public func revoke(_ id: String) async throws -> Bool {
        try await !database.sql.raw(
            """
            UPDATE api_keys SET revoked_at = \(bind: time.now())
            WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """
        ).all().isEmpty
    }

    /// Keys carry 160 random bits, so a fast hash is enough; there is nothing to brute-force.
    static func hash(_ secret: String) -> String { Secrets.sha256Hex(secret) }
}
