import Foundation
import LeadgenCore
import SQLKit

/// A lead in a sequence.
public struct Enrollment: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, paused, finished, replied, bounced, unsubscribed, failed
    }

    public var id: String
    public var sequenceID: String
    public var leadID: LeadID
    public var status: Status
    public var stepIndex: Int
    public var nextActionAt: Date?
    /// Why it stopped or waits: replied, unknown_send, company_replied, a suppression's reason…
    public var statusReason: String? = nil
    public var createdAt: Date
    public var workspaceID: WorkspaceID? = nil
}

/// Enrolments: at most one per lead and sequence.
public struct EnrollmentStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Enrols the lead, its first step due at once; nil when it is enrolled in this sequence already.
    public func enroll(_ lead: LeadID, in sequenceID: String, workspace: WorkspaceID) async throws -> Enrollment? {
        let now = time.now()
        let enrollment = Enrollment(
            id: ids(), sequenceID: sequenceID, leadID: lead, status: .active, stepIndex: 0, nextActionAt: now,
            createdAt: now)
        let inserted = try await database.sql.raw(
            """
            INSERT INTO enrollments (id, workspace_id, sequence_id, lead_id, status, step_index, next_action_at,
                                     created_at, updated_at)
            VALUES (\(bind: enrollment.id), \(bind: workspace.rawValue), \(bind: sequenceID), \(bind: lead.rawValue),
                    'active', 0, \(bind: now), \(bind: now), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all()
        return inserted.isEmpty ? nil : enrollment
    }

    /// The leads among `leads` active in a sequence other than `sequenceID`.
    public func activeElsewhere(_ leads: [LeadID], besides sequenceID: String, in workspace: WorkspaceID) async throws
        -> Set<LeadID>
    {
        guard !leads.isEmpty else { return [] }
        return try await Set(
            database.sql.raw(
                """
                SELECT DISTINCT lead_id FROM enrollments WHERE workspace_id = \(bind: workspace.rawValue)
                    AND status = 'active' AND sequence_id <> \(bind: sequenceID)
                    AND lead_id IN (\(binds: leads.map(\.rawValue)))
                """
            ).all().map { LeadID(rawValue: try $0.decode(column: "lead_id")) })
    }

    public func list(sequence sequenceID: String, in workspace: WorkspaceID, limit: Int = 1000) async throws
        -> [Enrollment]
    {
        try await database.sql.raw(
            """
            SELECT * FROM enrollments WHERE sequence_id = \(bind: sequenceID) AND workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at, id LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> Enrollment {
        Enrollment(
            id: try row.decode(column: "id"), sequenceID: try row.decode(column: "sequence_id"),
            leadID: LeadID(rawValue: try row.decode(column: "lead_id")),
            status: Enrollment.Status(rawValue: try row.decode(column: "status")) ?? .failed,
            stepIndex: try row.decode(column: "step_index", as: Int.self),
            nextActionAt: try row.decode(column: "next_action_at", as: Date?.self),
            statusReason: try row.decode(column: "status_reason", as: String?.self),
            createdAt: try row.decode(column: "created_at"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")))
    }

    /// Takes up to `limit` active enrolments that are due, of sequences that are not paused, oldest due first,
    /// and holds them until `holdUntil` (their next action moves there, their reason says `dispatching`), so
    /// those of a dispatcher that dies come back when the next one starts, or when the hold runs out.
    /// PostgreSQL skips rows another transaction holds.
    public func claimDue(limit: Int, holdUntil: Date) async throws -> [Enrollment] {
        let now = time.now()
        let lock: SQLQueryString = database.kind == .postgres ? "FOR UPDATE OF e SKIP LOCKED" : ""
        return try await database.transaction { db in
            try await db.raw(
                """
                UPDATE enrollments SET next_action_at = \(bind: holdUntil), status_reason = 'dispatching',
                    updated_at = \(bind: now)
                WHERE id IN (
                    SELECT e.id FROM enrollments e JOIN sequences s ON s.id = e.sequence_id
                    WHERE e.status = 'active' AND e.next_action_at <= \(bind: now) AND s.status = 'active'
                    ORDER BY e.next_action_at, e.id LIMIT \(bind: limit) \(lock)
                )
                RETURNING *
                """
            ).all().map(Self.decode).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    /// Enrolments a dispatcher took and left (its process died): due again at once. Only one dispatcher runs
    /// at a time, so the one starting calls this.
    @discardableResult
    public func releaseAbandonedClaims() async throws -> Int {
        try await database.sql.raw(
            """
            UPDATE enrollments SET next_action_at = \(bind: time.now()), status_reason = NULL, updated_at = \(bind: time.now())
            WHERE status = 'active' AND status_reason = 'dispatching' RETURNING id
            """
        ).all().count
    }

    /// Moves an active enrolment to `step`, due at `at` (nil: not until a person acts).
    public func move(_ id: String, to step: Int, at date: Date?, reason: String? = nil) async throws {
        try await database.sql.raw(
            """
            UPDATE enrollments SET step_index = \(bind: step), next_action_at = \(bind: date),
                status_reason = \(bind: reason), updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND status = 'active'
            """
        ).run()
    }

    /// Ends or pauses an enrolment that is still going (active or paused); false when it was not.
    @discardableResult
    public func setStatus(_ id: String, _ status: Enrollment.Status, reason: String?, in workspace: WorkspaceID? = nil)
        async throws -> Bool
    {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        let now = time.now()
        let next: SQLQueryString = status == .active ? "next_action_at = \(bind: now)," : "next_action_at = NULL,"
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        return try await database.transaction { db in
            let changed = try await db.raw(
                """
                UPDATE enrollments SET status = \(bind: status.rawValue), \(next) status_reason = \(bind: reason),
                    updated_at = \(bind: now)
                WHERE id = \(bind: id) AND status IN ('active', 'paused') \(scope)
                \(EnrollmentEnding.returning)
                """
            ).all()
            try await EnrollmentEnding.record(changed, outbox: outbox, on: db)
            return !changed.isEmpty
        }
    }

    /// Resumes a paused enrolment at `step` (a person decided about an unknown send: skip it, say).
    @discardableResult
    public func resume(_ id: String, at step: Int? = nil, in workspace: WorkspaceID) async throws -> Bool {
        let stepClause: SQLQueryString = step.map { "step_index = \(bind: $0)," } ?? ""
        return try await !database.sql.raw(
            """
            UPDATE enrollments SET status = 'active', \(stepClause) next_action_at = \(bind: time.now()),
                status_reason = NULL, updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND status = 'paused' AND workspace_id = \(bind: workspace.rawValue)
            RETURNING id
            """
        ).all().isEmpty
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> Enrollment? {
        try await database.sql.raw(
            "SELECT * FROM enrollments WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
        ).first().map(Self.decode)
    }
}
