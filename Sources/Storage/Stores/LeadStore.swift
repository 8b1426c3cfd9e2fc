import Foundation
import LeadgenCore
import SQLKit

/// Reads, edits and deletes stored leads. New leads arrive through `LeadIngestor`, which merges duplicates.
public struct LeadStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func get(_ id: LeadID, in workspace: WorkspaceID) async throws -> Lead? {
        try await Self.get(id, in: workspace, db: database.sql)
    }

    static func get(_ id: LeadID, in workspace: WorkspaceID, db: any SQLDatabase) async throws -> Lead? {
        guard
            let row = try await db.select().columns(LeadRow.columns.map { SQLColumn($0) }).from("leads")
                .where("workspace_id", .equal, workspace.rawValue).where("id", .equal, id.rawValue)
                .first(decoding: LeadRow.self)
        else { return nil }
        let tags = try await IngestReader(db: db, workspace: workspace).tags(of: [row.id])
        return try row.lead(tags: tags[row.id] ?? [])
    }

    public func list(_ query: LeadQuery, in workspace: WorkspaceID) async throws -> LeadPage {
        let select = database.sql.select().columns(LeadRow.columns.map { SQLColumn($0) }).from("leads")
            .where("workspace_id", .equal, workspace.rawValue)
        LeadFilter(query: query, workspace: workspace).apply(to: select)
        let sortColumn = Self.sortExpression(query.sort)
        let direction: SQLDirection = query.descending ? .descending : .ascending
        select.orderBy(sortColumn, direction).orderBy(SQLColumn("id"), direction).limit(query.limit + 1)
        let rows = try await select.all(decoding: LeadRow.self)
        let page = Array(rows.prefix(query.limit))
        let tags = try await IngestReader(db: database.sql, workspace: workspace).tags(of: page.map(\.id))
        let leads = try page.map { try $0.lead(tags: tags[$0.id] ?? []) }
        let companies = try await CompanyStore(database: database).get(
            Set(leads.compactMap(\.companyID)), in: workspace)
        var next: LeadCursor?
        if rows.count > query.limit, let last = page.last {
            next = LeadCursor(
                sort: query.sort.rawValue, descending: query.descending, value: Self.sortValue(last, query.sort),
                id: last.id)
        }
        return LeadPage(leads: leads, companies: companies, nextCursor: next)
    }

    /// The number of leads in a workspace.
    public func count(in workspace: WorkspaceID) async throws -> Int {
        try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("leads")
            .where("workspace_id", .equal, workspace.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Applies a person's edit in one transaction: the row, its identities and tags, and one event per change.
    /// Returns nil when there is no such lead.
    public func update(
        _ id: LeadID, in workspace: WorkspaceID, actor: String?, _ edit: @escaping @Sendable (inout Lead) throws -> Void
    ) async throws -> Lead? {
        let now = time.now()
        let ids = self.ids
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        return try await database.transaction { db in
            guard let old = try await Self.get(id, in: workspace, db: db) else { return nil }
            var lead = old
            try edit(&lead)
            var changes = lead.fields.changes(from: old.fields)
            if lead.status != old.status {
                changes.append(
                    FieldChange(field: "status", oldValue: old.status.rawValue, newValue: lead.status.rawValue))
            }
            guard !changes.isEmpty else { return old }
            lead.updatedAt = now
            try await LeadWriter(db: db, workspace: workspace).replace(lead)
            let events =
                [LeadEvent(id: ids(), leadID: id, kind: .updated, actor: actor, createdAt: now)]
                + changes.map {
                    LeadEvent(
                        id: ids(), leadID: id, kind: .fieldChanged, field: $0.field, oldValue: $0.oldValue,
                        newValue: $0.newValue, actor: actor, createdAt: now)
                }
            try await LeadEventWriter.insert(events, workspace: workspace, db: db)
            try await outbox.record(NewPlatformEvent.from(events), workspace: workspace, on: db)
            return lead
        }
    }

    /// Deletes a lead; its event log stays, ending with a `deleted` event. Returns false when there is none.
    public func delete(_ id: LeadID, in workspace: WorkspaceID, actor: String?) async throws -> Bool {
        let now = time.now()
        let eventID = ids()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        return try await database.transaction { db in
            let deleted = try await db.delete(from: "leads")
                .where("workspace_id", .equal, workspace.rawValue).where("id", .equal, id.rawValue)
                .returning("id").all()
            guard !deleted.isEmpty else { return false }
            let events = [LeadEvent(id: eventID, leadID: id, kind: .deleted, actor: actor, createdAt: now)]
            try await LeadEventWriter.insert(events, workspace: workspace, db: db)
            try await outbox.record(NewPlatformEvent.from(events), workspace: workspace, on: db)
            return true
        }
    }

    /// The lead's history, oldest first.
    public func events(of id: LeadID, in workspace: WorkspaceID, limit: Int = 500) async throws -> [LeadEvent] {
        let rows = try await database.sql.select()
            .columns("id", "lead_id", "kind", "field", "old_value", "new_value", "detail", "actor", "created_at")
            .from("lead_events")
            .where("workspace_id", .equal, workspace.rawValue).where("lead_id", .equal, id.rawValue)
            .orderBy("id").limit(limit)
            .all()
        return try rows.map { row in
            LeadEvent(
                id: try row.decode(column: "id", as: String.self),
                leadID: LeadID(rawValue: try row.decode(column: "lead_id", as: String.self)),
                kind: LeadEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .updated,
                field: try row.decode(column: "field", as: String?.self),
                oldValue: try row.decode(column: "old_value", as: String?.self),
                newValue: try row.decode(column: "new_value", as: String?.self),
                detail: try row.decode(column: "detail", as: String?.self),
                actor: try row.decode(column: "actor", as: String?.self),
                createdAt: try row.decode(column: "created_at", as: Date.self))
        }
    }

    static func sortExpression(_ sort: LeadQuery.Sort) -> any SQLExpression {
        switch sort {
        case .createdAt: SQLColumn("id")
        case .lastName: SQLFunction("COALESCE", args: SQLColumn("last_name"), SQLLiteral.string(""))
        case .email: SQLFunction("COALESCE", args: SQLColumn("email"), SQLLiteral.string(""))
        }
    }

    static func sortValue(_ row: LeadRow, _ sort: LeadQuery.Sort) -> String {
        switch sort {
        case .createdAt: row.id
        case .lastName: row.last_name ?? ""
        case .email: row.email ?? ""
        }
    }
}
