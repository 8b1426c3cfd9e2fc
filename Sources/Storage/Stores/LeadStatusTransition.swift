import Foundation
import LeadgenCore
import SQLKit

/// Moves a lead to a status the platform decides (contacted once a sequence reaches it, replied when it
/// answers), only from the statuses given, with the same history entry and `lead.status_changed` event a
/// person's edit makes. Runs on the caller's transaction.
struct LeadStatusTransition {
    let db: any SQLDatabase
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    func apply(
        _ lead: LeadID, to status: LeadStatus, from allowed: [LeadStatus], in workspace: WorkspaceID, actor: String
    ) async throws {
        let now = time.now()
        guard
            let row = try await db.raw(
                """
                SELECT status FROM leads WHERE id = \(bind: lead.rawValue) AND workspace_id = \(bind: workspace.rawValue)
                """
            ).first(),
            let old = LeadStatus(rawValue: try row.decode(column: "status")), old != status,
            allowed.contains(old)
        else { return }
        try await db.raw(
            """
            UPDATE leads SET status = \(bind: status.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: lead.rawValue) AND status = \(bind: old.rawValue)
            """
        ).run()
        let events = [
            LeadEvent(id: ids(), leadID: lead, kind: .updated, actor: actor, createdAt: now),
            LeadEvent(
                id: ids(), leadID: lead, kind: .fieldChanged, field: "status", oldValue: old.rawValue,
                newValue: status.rawValue, actor: actor, createdAt: now),
        ]
        try await LeadEventWriter.insert(events, workspace: workspace, db: db)
        try await AutomationEventStore(database: database, ids: ids, time: time).record(
            NewPlatformEvent.from(events), workspace: workspace, on: db)
    }
}
