import Foundation
import LeadgenCore
import SQLKit

/// Rewrites one lead's row, identities and tags inside a transaction.
struct LeadWriter {
    let db: any SQLDatabase
    let workspace: WorkspaceID

    func replace(_ lead: Lead) async throws {
        let companyName = try await lead.companyID.asyncFlatMap { id in
            try await db.select().column("name").from("companies").where("id", .equal, id.rawValue)
                .first()?.decode(column: "name", as: String?.self)
        }
        try await db.update("leads", columns: LeadRow.columns, row: LeadRow(lead, companyName: companyName).values)
        try await db.delete(from: "lead_identities").where("lead_id", .equal, lead.id.rawValue).run()
        let keys = lead.fields.matchKeys
        if !keys.isEmpty {
            let insert = db.insert(into: "lead_identities").columns("workspace_id", "match_key", "lead_id")
            for key in keys {
                insert.values(
                    SQLBind(workspace.rawValue), SQLBind(key.storageKey),
                    SQLBind(lead.id.rawValue))
            }
            // A key another lead already holds stays with it: two leads are never silently merged by an edit.
            try await insert.ignoringConflicts().run()
        }
        try await db.delete(from: "lead_tags").where("lead_id", .equal, lead.id.rawValue).run()
        if !lead.fields.tags.isEmpty {
            let insert = db.insert(into: "lead_tags").columns("workspace_id", "lead_id", "tag")
            for tag in lead.fields.tags {
                insert.values(SQLBind(workspace.rawValue), SQLBind(lead.id.rawValue), SQLBind(tag))
            }
            try await insert.ignoringConflicts().run()
        }
    }
}
