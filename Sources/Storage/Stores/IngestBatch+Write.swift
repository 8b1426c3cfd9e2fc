import Foundation
import LeadgenCore
import SQLKit

extension IngestBatch {
    /// Rows per multi-row INSERT: 26 lead columns × 400 stays well under SQLite's bound-parameter limit.
    static let insertChunk = 400

    /// Writes what `apply` decided, inside the caller's transaction.
    func write(to db: any SQLDatabase) async throws {
        let companyName: (Lead) -> String? = { lead in lead.companyID.flatMap { companies[$0]?.fields.name } }

        for chunk in newCompanies.sorted(by: { $0.rawValue < $1.rawValue }).chunked(Self.insertChunk) {
            try await db.insert(
                into: "companies", columns: CompanyRow.columns, rows: chunk.map { CompanyRow(companies[$0]!).values })
        }
        for id in dirtyCompanies {
            try await db.update("companies", columns: CompanyRow.columns, row: CompanyRow(companies[id]!).values)
        }
        for chunk in newLeads.sorted(by: { $0.rawValue < $1.rawValue }).chunked(Self.insertChunk) {
            let rows = chunk.map { LeadRow(leads[$0]!, companyName: companyName(leads[$0]!)).values }
            try await db.insert(into: "leads", columns: LeadRow.columns, rows: rows)
        }
        for id in dirtyLeads {
            let lead = leads[id]!
            try await db.update(
                "leads", columns: LeadRow.columns, row: LeadRow(lead, companyName: companyName(lead)).values)
        }
        for chunk in newIdentities.chunked(Self.insertChunk * 2) {
            let insert = db.insert(into: "lead_identities").columns("workspace_id", "match_key", "lead_id")
            for (key, lead) in chunk {
                insert.values(
                    SQLBind(workspace.rawValue), SQLBind(key.storageKey), SQLBind(lead.rawValue))
            }
            try await insert.ignoringConflicts().run()
        }
        for chunk in newTags.chunked(Self.insertChunk * 2) {
            let insert = db.insert(into: "lead_tags").columns("workspace_id", "lead_id", "tag")
            for (lead, tag) in chunk {
                insert.values(SQLBind(workspace.rawValue), SQLBind(lead.rawValue), SQLBind(tag))
            }
            try await insert.ignoringConflicts().run()
        }
        for chunk in sources.chunked(Self.insertChunk) {
            let insert = db.insert(into: "lead_sources")
                .columns("workspace_id", "lead_id", "kind", "reference", "locator", "record_hash", "created_at")
            for (lead, source, hash) in chunk {
                insert.values(
                    SQLBind(workspace.rawValue), SQLBind(lead.rawValue), SQLBind(source.kind),
                    SQLValue.of(source.reference), SQLValue.of(source.locator), SQLBind(hash), SQLBind(now))
            }
            try await insert.ignoringConflicts().run()
        }
        try await LeadEventWriter.insert(events, workspace: workspace, db: db)
    }
}

/// Appends events to the lead event log.
enum LeadEventWriter {
    static func insert(_ events: [LeadEvent], workspace: WorkspaceID, db: any SQLDatabase) async throws {
        for chunk in events.chunked(IngestBatch.insertChunk) {
            let insert = db.insert(into: "lead_events")
                .columns(
                    "id", "workspace_id", "lead_id", "kind", "field", "old_value", "new_value", "detail", "actor",
                    "created_at")
            for e in chunk {
                insert.values(
                    SQLBind(e.id), SQLBind(workspace.rawValue), SQLBind(e.leadID.rawValue), SQLBind(e.kind.rawValue),
                    SQLValue.of(e.field), SQLValue.of(e.oldValue), SQLValue.of(e.newValue), SQLValue.of(e.detail),
                    SQLValue.of(e.actor), SQLBind(e.createdAt))
            }
            try await insert.run()
        }
    }
}
