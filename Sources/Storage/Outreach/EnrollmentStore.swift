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
    public var createdAt: Date
}

/// Enrolments: at most one per lead and sequence.
public struct EnrollmentStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator = .uuidV7, time: TimeSource = .system) {
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
            createdAt: try row.decode(column: "created_at"))
    }
}
