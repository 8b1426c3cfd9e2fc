import Foundation
import LeadgenCore
import SQLKit

/// The endpoints each workspace sends its events to, with their signing secrets.
///
/// A secret is sealed with the master key when the server has one, and kept as it is otherwise (it must be
/// read back to sign, so it cannot be hashed). After a rotation the previous secret signs too, for a day, so
/// receivers can change over without losing a message.
public struct WebhookEndpointStore: Sendable {
    let database: LeadgenDatabase
    let box: SecretBox?
    let ids: IDGenerator
    let time: TimeSource

    /// How long a rotated-out secret still signs.
    public static let rotationOverlap: TimeInterval = 24 * 3600
    /// A workspace has at most this many endpoints.
    public static let limit = 50

    public init(database: LeadgenDatabase, box: SecretBox?, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.box = box
        self.ids = ids
        self.time = time
    }

    /// Creates an active endpoint and returns it with its secret, which is shown this once.
    public func create(
        url: String, description: String, events: [String], in workspace: WorkspaceID
    ) async throws -> (WebhookEndpoint, secret: String) {
        let now = time.now()
        let id = "ep_" + ids()
        let secret = WebhookEndpoint.newSecret()
        let stored = try seal(secret, endpoint: id)
        let endpoint = WebhookEndpoint(
            id: id, workspaceID: workspace, url: url, description: description, events: events, status: .active,
            createdAt: now, updatedAt: now)
        try await database.transaction { db in
            try await WorkspaceLimitReached.check(
                "webhook_endpoints", what: "webhook endpoints", limit: Self.limit, in: workspace, on: db)
            try await db.raw(
                """
                INSERT INTO webhook_endpoints (id, workspace_id, url, description, events, secret, status,
                    created_at, updated_at)
                VALUES (\(bind: id), \(bind: workspace.rawValue), \(bind: url), \(bind: description),
                    \(bind: JSON.array(events.map(JSON.string)).text), \(bind: stored), 'active', \(bind: now),
                    \(bind: now))
                """
            ).run()
        }
        return (endpoint, secret)
    }

    public func list(in workspace: WorkspaceID) async throws -> [WebhookEndpoint] {
        try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM webhook_endpoints WHERE workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at, id
            """
        ).all().map(Self.endpoint)
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> WebhookEndpoint? {
        try await Self.get(id, in: workspace, db: database.sql)
    }

    static func get(_ id: String, in workspace: WorkspaceID, db: any SQLDatabase) async throws -> WebhookEndpoint? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM webhook_endpoints
            WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)
            """
        ).first().map(Self.endpoint)
    }

    /// Applies an edit; making a disabled endpoint active again forgets why it was disabled. Returns nil when
    /// there is no such endpoint.
    public func update(_ id: String, in workspace: WorkspaceID, _ change: WebhookEndpointChange) async throws
        -> WebhookEndpoint?
    {
        let now = time.now()
        return try await database.transaction { db in
            guard var endpoint = try await Self.get(id, in: workspace, db: db) else { return nil }
            if let url = change.url { endpoint.url = url }
            if let description = change.description { endpoint.description = description }
            if let events = change.events { endpoint.events = events }
            if let status = change.status, status != endpoint.status {
                endpoint.status = status
                if status == .active {
                    endpoint.disabledReason = nil
                    endpoint.failingSince = nil
                }
            }
            endpoint.updatedAt = now
            try await db.raw(
                """
                UPDATE webhook_endpoints SET url = \(bind: endpoint.url), description = \(bind: endpoint.description),
                    events = \(bind: JSON.array(endpoint.events.map(JSON.string)).text),
                    status = \(bind: endpoint.status.rawValue), disabled_reason = \(SQLValue.of(endpoint.disabledReason)),
                    failing_since = \(SQLValue.of(endpoint.failingSince)), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
            return endpoint
        }
    }

    /// Deletes the endpoint with its messages and their delivery log. Returns false when there is none.
    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await database.transaction { db in
            guard try await Self.get(id, in: workspace, db: db) != nil else { return false }
            try await db.raw("DELETE FROM webhook_attempts WHERE endpoint_id = \(bind: id)").run()
            try await db.raw("DELETE FROM webhook_messages WHERE endpoint_id = \(bind: id)").run()
            try await db.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id)").run()
            return true
        }
    }

    /// Gives the endpoint a new secret, returned this once, with the time until which the old one keeps
    /// signing (a day). Returns nil when there is no such endpoint.
    public func rotateSecret(_ id: String, in workspace: WorkspaceID) async throws
        -> (secret: String, previousValidUntil: Date)?
    {
        let now = time.now()
        let until = now.addingTimeInterval(Self.rotationOverlap)
        let secret = WebhookEndpoint.newSecret()
        let stored = try seal(secret, endpoint: id)
        return try await database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE webhook_endpoints SET previous_secret = secret, secret = \(bind: stored),
                    previous_secret_until = \(bind: until), updated_at = \(bind: now)
                WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)
                RETURNING id
                """
            ).all()
            return rows.isEmpty ? nil : (secret, until)
        }
    }

    /// Where the endpoint's messages go and the secrets that sign them now: the current one, and the
    /// previous one during the day after a rotation. Nil when the endpoint is gone.
    public func target(of endpointID: String) async throws -> (url: String, secrets: [String])? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT url, secret, previous_secret, previous_secret_until FROM webhook_endpoints
                WHERE id = \(bind: endpointID)
                """
            ).first()
        else { return nil }
        var secrets = [try open(try row.decode(column: "secret", as: String.self), endpoint: endpointID)]
        if let previous = try row.decode(column: "previous_secret", as: String?.self),
            let until = try row.decode(column: "previous_secret_until", as: Date?.self), until > time.now()
        {
            secrets.append(try open(previous, endpoint: endpointID))
        }
        return (try row.decode(column: "url", as: String.self), secrets)
    }

    /// The active endpoints of a workspace, on `db`.
    static func active(in workspace: WorkspaceID, db: any SQLDatabase) async throws -> [WebhookEndpoint] {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM webhook_endpoints
            WHERE workspace_id = \(bind: workspace.rawValue) AND status = 'active'
            """
        ).all().map(Self.endpoint)
    }

    // MARK: Rows

    static let columns =
        "id, workspace_id, url, description, events, status, disabled_reason, failing_since, created_at, updated_at"

    static func endpoint(_ row: any SQLRow) throws -> WebhookEndpoint {
        let events = try row.decode(column: "events", as: String.self)
        return WebhookEndpoint(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            url: try row.decode(column: "url"), description: try row.decode(column: "description"),
            events: ((try? JSON.parse(Data(events.utf8)))?.arrayValue ?? []).compactMap(\.stringValue),
            status: WebhookEndpoint.Status(rawValue: try row.decode(column: "status")) ?? .disabled,
            disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
            failingSince: try row.decode(column: "failing_since", as: Date?.self),
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at"))
    }

    // MARK: Secrets at rest

    private func seal(_ secret: String, endpoint: String) throws -> String {
        guard let box else { return "plain:" + secret }
        return "sealed:" + (try box.seal(secret, context: "webhook:" + endpoint))
    }

    private func open(_ stored: String, endpoint: String) throws -> String {
        if stored.hasPrefix("plain:") { return String(stored.dropFirst("plain:".count)) }
        guard stored.hasPrefix("sealed:"), let box else { throw SecretBox.Failure.cannotOpen }
        return try box.open(String(stored.dropFirst("sealed:".count)), context: "webhook:" + endpoint)
    }
}
