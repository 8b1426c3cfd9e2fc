import Foundation
import LeadgenCore
import SQLKit

/// Capability tokens handed to providers in callback URLs (kept only as digests), and the deliveries
/// already applied, so a provider's retry changes nothing.
public struct WebhookStore: Sendable {
    let database: LeadgenDatabase
    let time: TimeSource

    public init(database: LeadgenDatabase, time: TimeSource) {
        self.database = database
        self.time = time
    }

    /// A new unguessable token for `provider` callbacks into the workspace, valid for `lifetime` seconds.
    public func issueToken(
        provider: String, purpose: String, workspace: WorkspaceID, lifetime: TimeInterval = 14 * 86400
    ) async throws -> String {
        let token = Secrets.randomHex(bytes: 32)
        let now = time.now()
        try await database.sql.raw(
            """
            INSERT INTO webhook_tokens (token_hash, workspace_id, provider, purpose, created_at, expires_at)
            VALUES (\(bind: Secrets.sha256Hex(token)), \(bind: workspace.rawValue), \(bind: provider), \(bind: purpose),
                    \(bind: now), \(bind: now.addingTimeInterval(lifetime)))
            """
        ).run()
        return token
    }

    /// The workspace a live token of `provider` belongs to.
    public func workspace(forToken token: String, provider: String) async throws -> WorkspaceID? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await database.sql.raw(
            """
            SELECT workspace_id FROM webhook_tokens
            WHERE token_hash = \(bind: Secrets.sha256Hex(token)) AND provider = \(bind: provider)
              AND expires_at > \(bind: time.now())
            """
        ).first().map { WorkspaceID(rawValue: try $0.decode(column: "workspace_id")) }
    }

    /// Records a delivery; false when it was recorded before (a retry).
    public func recordDelivery(provider: String, key: String) async throws -> Bool {
        try await !database.sql.raw(
            """
            INSERT INTO webhook_deliveries (provider, delivery_key, received_at)
            VALUES (\(bind: provider), \(bind: key), \(bind: time.now()))
            ON CONFLICT (provider, delivery_key) DO NOTHING RETURNING delivery_key
            """
        ).all().isEmpty
    }

    /// Whether the delivery was recorded before.
    public func hasDelivery(provider: String, key: String) async throws -> Bool {
        try await database.sql.raw(
            """
            SELECT delivery_key FROM webhook_deliveries WHERE provider = \(bind: provider) AND delivery_key = \(bind: key)
            """
        ).first() != nil
    }

    /// A digest for delivery keys.
    public static func digest(_ text: String) -> String { Secrets.sha256Hex(text) }
}
