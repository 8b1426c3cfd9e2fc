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

    /// A status the platform moves leads to, and the statuses it moves them from (a person's own choice,
    /// qualified or disqualified, is never overridden).
    struct Rule {
        var to: LeadStatus
        var from: [LeadStatus]

        /// A sequence reached the lead: its first message was sent.
        static let contacted = Rule(to: .contacted, from: [.new, .enriched])
        /// The lead answered a message.
        static let replied = Rule(to: .replied, from: [.new, .enriched, .contacted])
    }

    /// One lead whose status the rule may change; `current` as the caller read it, when it did.
    struct Subject {
        var lead: LeadID
        var workspace: WorkspaceID
        var current: LeadStatus?
    }

    /// Applies `rule` to many leads at once (one UPDATE per 500 leads of the same status, for the leads whose
    /// status the caller read), with the same history as `apply`; returns the platform events by workspace.
    func apply(_ rule: Rule, to subjects: [Subject], actor: String) async throws
        -> [WorkspaceID: [NewPlatformEvent]]
    {
        let now = time.now()
        var events: [WorkspaceID: [NewPlatformEvent]] = [:]
        var known: [LeadStatus: [Subject]] = [:]
        for subject in subjects {
            if let current = subject.current, rule.from.contains(current) {
                known[current, default: []].append(subject)
            }
        }
        for (old, group) in known {
            for chunk in group.chunked(500) {
                let changed = Set(
                    try await db.raw(
                        """
                        UPDATE leads SET status = \(bind: rule.to.rawValue), updated_at = \(bind: now)
                        WHERE id IN (\(binds: chunk.map(\.lead.rawValue))) AND status = \(bind: old.rawValue)
                        RETURNING id
                        """
                    ).all().map { try $0.decode(column: "id", as: String.self) })
                for (workspace, inWorkspace) in Dictionary(grouping: chunk, by: \.workspace) {
                    let history = inWorkspace.filter { changed.contains($0.lead.rawValue) }.flatMap {
                        self.history($0.lead, from: old, to: rule.to, actor: actor, at: now)
                    }
                    try await LeadEventWriter.insert(history, workspace: workspace, db: db)
                    events[workspace, default: []] += NewPlatformEvent.from(history)
                }
            }
        }
        for subject in subjects where subject.current == nil {
            events[subject.workspace, default: []] += try await apply(
                subject.lead, to: rule.to, from: rule.from, in: subject.workspace, actor: actor)
        }
        return events
    }

    /// What a status change writes to the lead's history.
    private func history(_ lead: LeadID, from old: LeadStatus, to status: LeadStatus, actor: String, at now: Date)
        -> [LeadEvent]
    {
        [
            LeadEvent(id: ids(), leadID: lead, kind: .updated, actor: actor, createdAt: now),
            LeadEvent(
                id: ids(), leadID: lead, kind: .fieldChanged, field: "status", oldValue: old.rawValue,
                newValue: status.rawValue, actor: actor, createdAt: now),
        ]
    }

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
        let events = history(lead, from: old, to: status, actor: actor, at: now)
        try await LeadEventWriter.insert(events, workspace: workspace, db: db)
        return NewPlatformEvent.from(events)
    }
}
