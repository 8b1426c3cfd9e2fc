import Foundation
import LeadgenCore
import SQLKit

/// Moves a lead to a status the platform decides (contacted once a sequence reaches it, replied when it
/// answers), only from the statuses given, with the same history entries a person's edit makes. Runs on the
/// caller's transaction and returns the platform events to record (`lead.updated`, `lead.status_changed`),
/// so the caller records them with its own in one go.
struct LeadStatusTransition {
    let db: any SQLDatabase
    let ids: IDGenerator
    let time: TimeSource

    /// `current` is the lead's status as the caller read it, when it did (one statement fewer); the change
    /// happens only if the lead still has it.
    func apply(
        _ lead: LeadID, to status: LeadStatus, from allowed: [LeadStatus], current: LeadStatus? = nil,
        in workspace: WorkspaceID, actor: String
    ) async throws -> [NewPlatformEvent] {
        let now = time.now()
        let old: LeadStatus
        if let current {
            old = current
        } else {
            guard
                let row = try await db.raw(
                    """
                    SELECT status FROM leads
                    WHERE id = \(bind: lead.rawValue) AND workspace_id = \(bind: workspace.rawValue)
                    """
                ).first(),
                let read = LeadStatus(rawValue: try row.decode(column: "status"))
            else { return [] }
            old = read
        }
        guard old != status, allowed.contains(old) else { return [] }
        let changed = try await db.raw(
            """
            UPDATE leads SET status = \(bind: status.rawValue), updated_at = \(bind: now)
            WHERE id = \(bind: lead.rawValue) AND status = \(bind: old.rawValue) RETURNING id
            """
        ).all()
        guard !changed.isEmpty else { return [] }
        let events = [
            LeadEvent(id: ids(), leadID: lead, kind: .updated, actor: actor, createdAt: now),
            LeadEvent(
                id: ids(), leadID: lead, kind: .fieldChanged, field: "status", oldValue: old.rawValue,
                newValue: status.rawValue, actor: actor, createdAt: now),
        ]
        try await LeadEventWriter.insert(events, workspace: workspace, db: db)
        return NewPlatformEvent.from(events)
    }
}
