import Foundation
import LeadgenCore
import SQLKit

/// A stored sequence: its definition as written (JSON text) and whether it runs.
public struct StoredSequence: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case active, paused }

    public var id: String
    public var workspaceID: WorkspaceID
    public var name: String
    public var definition: String
    public var status: Status
    public var createdAt: Date
    public var updatedAt: Date
}

/// The workspace's sequences.
public struct SequenceStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func create(name: String, definition: String, in workspace: WorkspaceID) async throws -> StoredSequence {
        let now = time.now()
        let sequence = StoredSequence(
            id: ids(), workspaceID: workspace, name: name, definition: definition, status: .active, createdAt: now,
            updatedAt: now)
        try await database.sql.raw(
            """
            INSERT INTO sequences (id, workspace_id, name, definition, status, created_at, updated_at)
            VALUES (\(bind: sequence.id), \(bind: workspace.rawValue), \(bind: name), \(bind: definition), 'active',
                    \(bind: now), \(bind: now))
            """
        ).run()
        return sequence
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> StoredSequence? {
        try await database.sql.raw(
            "SELECT * FROM sequences WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
        ).first().map(Self.decode)
    }

    public func list(in workspace: WorkspaceID) async throws -> [StoredSequence] {
        try await database.sql.raw(
            "SELECT * FROM sequences WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY name, id"
        ).all().map(Self.decode)
    }

    /// Pauses or resumes; nil when there is no such sequence.
    public func setStatus(_ id: String, _ status: StoredSequence.Status, in workspace: WorkspaceID) async throws
        -> StoredSequence?
    {
        try await database.sql.raw(
            """
            UPDATE sequences SET status = \(bind: status.rawValue), updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING *
            """
        ).first().map(Self.decode)
    }

    /// Replaces a sequence's definition (and its name); nil when there is no such sequence.
    public func update(_ id: String, name: String, definition: String, in workspace: WorkspaceID) async throws
        -> StoredSequence?
    {
        try await database.sql.raw(
            """
            UPDATE sequences SET name = \(bind: name), definition = \(bind: definition), updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING *
            """
        ).first().map(Self.decode)
    }

    /// Deletes a sequence with its enrolments and their messages; false when there is no such sequence.
    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await database.transaction { db in
            try await db.raw(
                "DELETE FROM messages WHERE sequence_id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
            ).run()
            try await db.raw(
                "DELETE FROM enrollments WHERE sequence_id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue)"
            ).run()
            return try await !db.raw(
                "DELETE FROM sequences WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING id"
            ).all().isEmpty
        }
    }

    /// How many of its enrolments are still going (active or paused).
    public func goingEnrollments(_ id: String) async throws -> Int {
        try await database.sql.raw(
            """
            SELECT COUNT(*) AS n FROM enrollments WHERE sequence_id = \(bind: id) AND status IN ('active', 'paused')
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func decode(_ row: any SQLRow) throws -> StoredSequence {
        StoredSequence(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            name: try row.decode(column: "name"), definition: try row.decode(column: "definition"),
            status: StoredSequence.Status(rawValue: try row.decode(column: "status")) ?? .paused,
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at"))
    }
}
