import Foundation
import LeadgenCore
import SQLKit

/// An address, domain or number no message may go to.
public struct Suppression: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case email, domain, phone }

    public var kind: Kind
    /// Lower-cased e-mail or domain, or an E.164 number.
    public var value: String
    /// unsubscribed, bounced, spam_report, sms_stop, manual…
    public var reason: String
    /// Where it came from: "sendgrid", "twilio", "api", "one-click"…
    public var source: String
    public var createdAt: Date
}

/// One opt-out or opt-in in the audit trail.
public struct ConsentEvent: Sendable, Equatable {
    public enum Action: String, Sendable { case optOut = "opt_out", optIn = "opt_in" }

    public var kind: Suppression.Kind
    public var value: String
    public var action: Action
    public var reason: String
    public var source: String
    public var detail: String?
    public var createdAt: Date
}

/// The workspace's suppression list, honoured by every send path, and the consent audit trail beside it:
/// every change to the list is also an audit entry, in the same transaction.
public struct SuppressionStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Suppresses a value; true when it was not suppressed before. Every call is audited.
    @discardableResult
    public func suppress(
        _ kind: Suppression.Kind, _ value: String, reason: String, source: String, detail: String? = nil,
        in workspace: WorkspaceID
    ) async throws -> Bool {
        let normalized = Self.normalize(kind, value)
        let (now, id) = (time.now(), ids())
        return try await database.transaction { db in
            let added = try await !db.raw(
                """
                INSERT INTO suppressions (workspace_id, kind, value, reason, source, created_at)
                VALUES (\(bind: workspace.rawValue), \(bind: kind.rawValue), \(bind: normalized), \(bind: reason),
                        \(bind: source), \(bind: now))
                ON CONFLICT DO NOTHING RETURNING value
                """
            ).all().isEmpty
            try await Self.audit(
                db, id: id, workspace: workspace, kind: kind, value: normalized, action: .optOut, reason: reason,
                source: source, detail: detail, now: now)
            return added
        }
    }

    /// Lifts a suppression (an SMS START, a person's choice); true when there was one. Audited.
    @discardableResult
    public func lift(
        _ kind: Suppression.Kind, _ value: String, reason: String, source: String, detail: String? = nil,
        in workspace: WorkspaceID
    ) async throws -> Bool {
        let normalized = Self.normalize(kind, value)
        let (now, id) = (time.now(), ids())
        return try await database.transaction { db in
            let removed = try await !db.raw(
                """
                DELETE FROM suppressions WHERE workspace_id = \(bind: workspace.rawValue) AND kind = \(bind: kind.rawValue)
                    AND value = \(bind: normalized) RETURNING value
                """
            ).all().isEmpty
            try await Self.audit(
                db, id: id, workspace: workspace, kind: kind, value: normalized, action: .optIn, reason: reason,
                source: source, detail: detail, now: now)
            return removed
        }
    }

    /// Whether a message to this e-mail (or its domain) or number would be suppressed.
    public func isSuppressed(email: String? = nil, phone: String? = nil, in workspace: WorkspaceID) async throws
        -> Bool
    {
        var candidates: [(Suppression.Kind, String)] = []
        if let email {
            let lower = email.lowercased()
            candidates.append((.email, lower))
            if let at = lower.lastIndex(of: "@") {
                candidates.append((.domain, String(lower[lower.index(after: at)...])))
            }
        }
        if let phone { candidates.append((.phone, Self.normalize(.phone, phone))) }
        for (kind, value) in candidates {
            let row = try await database.sql.raw(
                """
                SELECT 1 AS one FROM suppressions WHERE workspace_id = \(bind: workspace.rawValue)
                    AND kind = \(bind: kind.rawValue) AND value = \(bind: value)
                """
            ).first()
            if row != nil { return true }
        }
        return false
    }

    /// The entry that suppresses a message to this e-mail (or its domain) or number, in one query.
    public func matching(email: String?, phone: String?, in workspace: WorkspaceID) async throws -> Suppression? {
        let lower = email?.lowercased()
        let domain = lower.flatMap { address in
            address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) }
        }
        let phone = phone.map { Self.normalize(.phone, $0) }
        return try await database.sql.raw(
            """
            SELECT * FROM suppressions WHERE workspace_id = \(bind: workspace.rawValue) AND (
                (kind = 'email' AND value = \(bind: lower ?? "")) OR (kind = 'domain' AND value = \(bind: domain ?? ""))
                OR (kind = 'phone' AND value = \(bind: phone ?? "")))
            ORDER BY created_at LIMIT 1
            """
        ).first().map(Self.decode)
    }

    public func list(in workspace: WorkspaceID, limit: Int = 500) async throws -> [Suppression] {
        try await database.sql.raw(
            """
            SELECT * FROM suppressions WHERE workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at DESC, value LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Suppression {
        Suppression(
            kind: Suppression.Kind(rawValue: try row.decode(column: "kind")) ?? .email,
            value: try row.decode(column: "value"), reason: try row.decode(column: "reason"),
            source: try row.decode(column: "source"), createdAt: try row.decode(column: "created_at"))
    }

    /// The audit trail of a value, oldest first.
    public func history(_ kind: Suppression.Kind, _ value: String, in workspace: WorkspaceID) async throws
        -> [ConsentEvent]
    {
        try await database.sql.raw(
            """
            SELECT * FROM consent_events WHERE workspace_id = \(bind: workspace.rawValue)
                AND kind = \(bind: kind.rawValue) AND value = \(bind: Self.normalize(kind, value))
            ORDER BY created_at, id
            """
        ).all().map { row in
            ConsentEvent(
                kind: kind, value: try row.decode(column: "value"),
                action: ConsentEvent.Action(rawValue: try row.decode(column: "action")) ?? .optOut,
                reason: try row.decode(column: "reason"), source: try row.decode(column: "source"),
                detail: try row.decode(column: "detail", as: String?.self),
                createdAt: try row.decode(column: "created_at"))
        }
    }

    static func audit(
        _ db: any SQLDatabase, id: String, workspace: WorkspaceID, kind: Suppression.Kind, value: String,
        action: ConsentEvent.Action, reason: String, source: String, detail: String?, now: Date
    ) async throws {
        try await db.raw(
            """
            INSERT INTO consent_events (id, workspace_id, kind, value, action, reason, source, detail, created_at)
            VALUES (\(bind: id), \(bind: workspace.rawValue), \(bind: kind.rawValue), \(bind: value),
                    \(bind: action.rawValue), \(bind: reason), \(bind: source), \(bind: detail), \(bind: now))
            """
        ).run()
    }

    /// A value as it is kept and matched: an address or domain trimmed and in lower case, a number as its
    /// digits with its leading plus.
    public static func normalize(_ kind: Suppression.Kind, _ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .email, .domain: return trimmed.lowercased()
        case .phone: return (trimmed.hasPrefix("+") ? "+" : "") + trimmed.filter(\.isNumber)
        }
    }
}
