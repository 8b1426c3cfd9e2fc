import Foundation
import LeadgenCore
import SQLKit

/// The state of one CSV import, as the API and dashboard show it.
public struct ImportRecord: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case queued, running, succeeded, failed }

    public var id: String
    public var workspaceID: WorkspaceID
    public var fileName: String
    public var status: Status
    public var summary: ImportSummary
    public var error: String?
    public var createdAt: Date
    public var finishedAt: Date?
}

/// What an import did, row by row.
public struct ImportSummary: Sendable, Equatable, Codable {
    public var rowsRead = 0
    public var leadsCreated = 0
    public var leadsMerged = 0
    /// Rows that matched a lead and added nothing, or were imported before.
    public var rowsUnchanged = 0
    public var rowsRejected = 0

    public init() {}
}

/// Records imports, their progress and their rejected rows.
public struct ImportStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Records a new import, on `db` when given (the caller's transaction).
    public func create(workspace: WorkspaceID, fileName: String, on db: (any SQLDatabase)? = nil) async throws
        -> ImportRecord
    {
        let record = ImportRecord(
            id: ids(), workspaceID: workspace, fileName: fileName, status: .queued, summary: ImportSummary(),
            error: nil, createdAt: time.now(), finishedAt: nil)
        try await (db ?? database.sql).insert(into: "imports")
            .columns("id", "workspace_id", "file_name", "status", "created_at")
            .values(
                SQLBind(record.id), SQLBind(workspace.rawValue), SQLBind(fileName), SQLBind(record.status.rawValue),
                SQLBind(record.createdAt)
            )
            .run()
        return record
    }

    /// Saves progress and, for a finished import, its outcome.
    public func update(_ id: String, status: ImportRecord.Status, summary: ImportSummary, error: String? = nil)
        async throws
    {
        let finished = status == .succeeded || status == .failed
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            let before = try await db.raw(
                "SELECT workspace_id, file_name, status FROM imports WHERE id = \(bind: id)"
            ).first()
            try await db.update("imports")
                .set("status", to: status.rawValue)
                .set("rows_read", to: summary.rowsRead)
                .set("leads_created", to: summary.leadsCreated)
                .set("leads_merged", to: summary.leadsMerged)
                .set("rows_unchanged", to: summary.rowsUnchanged)
                .set("rows_rejected", to: summary.rowsRejected)
                .set("error", to: error)
                .set("finished_at", to: finished ? SQLBind(now) : SQLBind(Date?.none))
                .where("id", .equal, id)
                .run()
            // `import.finished`, once: a retried job that finishes the file again records nothing new.
            guard finished, let before,
                !["succeeded", "failed"].contains(try before.decode(column: "status", as: String.self))
            else { return }
            let event = NewPlatformEvent(
                .importFinished, subject: id,
                payload: [
                    "import_id": .text(id), "file_name": .text(try before.decode(column: "file_name")),
                    "status": .text(status.rawValue), "rows_read": .number(Double(summary.rowsRead)),
                    "leads_created": .number(Double(summary.leadsCreated)),
                    "leads_merged": .number(Double(summary.leadsMerged)),
                    "rows_unchanged": .number(Double(summary.rowsUnchanged)),
                    "rows_rejected": .number(Double(summary.rowsRejected)), "error": .text(error),
                ])
            try await outbox.record(
                [event], workspace: WorkspaceID(rawValue: try before.decode(column: "workspace_id")), on: db)
        }
    }

    public func addRejects(_ rejects: [(RowRejection, raw: String)], to importID: String) async throws {
        for chunk in rejects.chunked(IngestReader.chunkSize) {
            let insert = database.sql.insert(into: "import_rejects").columns("import_id", "line", "reason", "raw")
            for (rejection, raw) in chunk {
                insert.values(SQLBind(importID), SQLBind(rejection.line), SQLBind(rejection.reason), SQLBind(raw))
            }
            try await insert.ignoringConflicts().run()
        }
    }

    public func get(_ id: String, in workspace: WorkspaceID) async throws -> ImportRecord? {
        try await select().where("workspace_id", .equal, workspace.rawValue).where("id", .equal, id)
            .first().map(Self.decode)
    }

    /// The latest imports of a workspace, newest first.
    public func recent(in workspace: WorkspaceID, limit: Int = 20) async throws -> [ImportRecord] {
        try await select().where("workspace_id", .equal, workspace.rawValue).orderBy("id", .descending).limit(limit)
            .all().map(Self.decode)
    }

    /// Rejected rows by line, with the row as it was written.
    public func rejects(of importID: String, in workspace: WorkspaceID, limit: Int = 1000) async throws
        -> [(RowRejection, raw: String)]
    {
        try await database.sql.select().columns("line", "reason", "raw").from("import_rejects")
            .where("import_id", .equal, importID)
            .where(
                SQLQueryString(
                    "import_id IN (SELECT id FROM imports WHERE workspace_id = \(bind: workspace.rawValue))")
            )
            .orderBy("line").limit(limit)
            .all()
            .map { row in
                (
                    RowRejection(
                        line: try row.decode(column: "line", as: Int.self),
                        reason: try row.decode(column: "reason", as: String.self)),
                    raw: try row.decode(column: "raw", as: String.self)
                )
            }
    }

    private func select() -> SQLSelectBuilder {
        database.sql.select()
            .columns(
                "id", "workspace_id", "file_name", "status", "rows_read", "leads_created", "leads_merged",
                "rows_unchanged", "rows_rejected", "error", "created_at", "finished_at"
            )
            .from("imports")
    }

    static func decode(_ row: any SQLRow) throws -> ImportRecord {
        var summary = ImportSummary()
        summary.rowsRead = try row.decode(column: "rows_read", as: Int.self)
        summary.leadsCreated = try row.decode(column: "leads_created", as: Int.self)
        summary.leadsMerged = try row.decode(column: "leads_merged", as: Int.self)
        summary.rowsUnchanged = try row.decode(column: "rows_unchanged", as: Int.self)
        summary.rowsRejected = try row.decode(column: "rows_rejected", as: Int.self)
        return ImportRecord(
            id: try row.decode(column: "id", as: String.self),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id", as: String.self)),
            fileName: try row.decode(column: "file_name", as: String.self),
            status: ImportRecord.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            summary: summary, error: try row.decode(column: "error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}
