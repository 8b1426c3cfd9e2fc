import Foundation
import LeadgenCore

/// Something that happened in the platform that a scenario can start on (`lead.created`, …).
public struct PlatformEvent: Sendable, Equatable {
    /// The events a scenario can watch, and what each one's payload holds.
    public enum Kind: String, Sendable, CaseIterable {
        /// A lead was created (API, import, sourcing, a scenario). Payload: `lead_id`, `source`.
        case leadCreated = "lead.created"
        /// A lead's fields changed (an edit or a merge). Payload: `lead_id`, `changes`.
        case leadUpdated = "lead.updated"
        /// A lead's status changed. Payload: `lead_id`, `from`, `to`.
        case leadStatusChanged = "lead.status_changed"
        /// An incoming record (an import row, an API call, an enrichment answer) matched a lead and changed it.
        /// Payload: `lead_id`, `source`, `changes`.
        case leadMerged = "lead.merged"
        /// A lead was deleted. Payload: `lead_id`.
        case leadDeleted = "lead.deleted"
        /// An enrichment run finished. Payload: the run's counts. (Called `enrichment.completed` before; that
        /// name is still read from blueprints.)
        case enrichmentFinished = "enrichment.finished"
        /// A lead could not be synced to a CRM. Payload: `lead_id`, `provider`, `run_id`, `error`.
        case syncFailed = "sync.failed"
        /// A CRM sync run finished. Payload: `run_id`, `provider`, `status`, and its counts.
        case syncFinished = "sync.finished"
        /// A CSV import finished. Payload: `import_id`, `file_name`, `status`, its counts, `error`.
        case importFinished = "import.finished"
        /// A scenario run finished. Payload: `run_id`, `scenario_id`, `status`, `operations`, `error`. Webhooks
        /// only: a scenario cannot start on it, so no scenario can start itself for ever.
        case scenarioRunFinished = "scenario.run.finished"
        /// A sequence's message went out, or something came of it (docs/reference/messaging.md §1.2, §2.2, §3.2).
        /// Payload: `message_id`, `lead_id`, `sequence_id`, `step_id`, `variant`, `channel`.
        case messageSent = "message.sent"
        case messageDelivered = "message.delivered"
        case messageOpened = "message.opened"
        case messageClicked = "message.clicked"
        case messageReplied = "message.replied"
        case messageBounced = "message.bounced"
        case messageUnsubscribed = "message.unsubscribed"
        case messageSpamReport = "message.spam_report"
        case messageFailed = "message.failed"
        /// An enrolment ended: its last step went out, or a reply, bounce, unsubscribe or failure stopped it.
        /// Payload: `enrollment_id`, `sequence_id`, `lead_id`, `status`, `reason`.
        case sequenceEnrollmentFinished = "sequence.enrollment.finished"
    }

    /// Names the platform used before, and the event each is now.
    public static let formerNames: [String: Kind] = ["enrichment.completed": .enrichmentFinished]

    /// The events a scenario can start on: every one but the end of a scenario run.
    public static let scenarioEvents: [Kind] = Kind.allCases.filter { $0 != .scenarioRunFinished }

    public var id: String
    public var workspaceID: WorkspaceID
    public var kind: String
    /// The lead or run it is about.
    public var subject: String?
    /// JSON text.
    public var payload: String
    public var createdAt: Date

    public init(
        id: String, workspaceID: WorkspaceID, kind: String, subject: String?, payload: String, createdAt: Date
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// An event not yet written: what happened, about what, with which details.
public struct NewPlatformEvent: Sendable {
    public var kind: PlatformEvent.Kind
    public var subject: String?
    public var payload: [String: PayloadValue]

    public init(_ kind: PlatformEvent.Kind, subject: String?, payload: [String: PayloadValue]) {
        self.kind = kind
        self.subject = subject
        self.payload = payload
    }

    /// A payload value: text, a number, or a list of field changes.
    public enum PayloadValue: Sendable, Encodable, Equatable {
        case text(String?)
        case number(Double)
        case changes([FieldChange])

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let value): try container.encode(value)
            case .number(let value):
                if value == value.rounded(), abs(value) < 1e15 {
                    try container.encode(Int(value))
                } else {
                    try container.encode(value)
                }
            case .changes(let changes):
                try container.encode(changes.map { ["field": $0.field, "old": $0.oldValue, "new": $0.newValue] })
            }
        }
    }

    /// The platform events a batch of lead-log entries means: one per lead and kind.
    public static func from(_ events: [LeadEvent]) -> [NewPlatformEvent] {
        var order: [LeadID] = []
        var byLead: [LeadID: [LeadEvent]] = [:]
        for event in events {
            if byLead[event.leadID] == nil { order.append(event.leadID) }
            byLead[event.leadID, default: []].append(event)
        }
        var result: [NewPlatformEvent] = []
        for lead in order {
            let entries = byLead[lead]!
            let id = lead.rawValue
            if entries.contains(where: { $0.kind == .deleted }) {
                result.append(NewPlatformEvent(.leadDeleted, subject: id, payload: ["lead_id": .text(id)]))
                continue
            }
            if let absorbed = entries.first(where: { $0.kind == .mergedInto }) {
                result.append(
                    NewPlatformEvent(
                        .leadDeleted, subject: id,
                        payload: ["lead_id": .text(id), "merged_into": .text(absorbed.newValue ?? "")]))
                continue
            }
            // An unmerge brings the absorbed lead back (its entry names no other lead).
            if entries.contains(where: { $0.kind == .unmerged && $0.oldValue == nil }) {
                result.append(
                    NewPlatformEvent(
                        .leadCreated, subject: id, payload: ["lead_id": .text(id), "source": .text("unmerge")]))
                continue
            }
            if let created = entries.first(where: { $0.kind == .created || $0.kind == .imported }) {
                result.append(
                    NewPlatformEvent(
                        .leadCreated, subject: id,
                        payload: ["lead_id": .text(id), "source": .text(created.detail ?? created.kind.rawValue)]))
                continue
            }
            let changes = entries.filter { $0.kind == .fieldChanged }.map {
                FieldChange(field: $0.field ?? "", oldValue: $0.oldValue, newValue: $0.newValue)
            }
            guard !changes.isEmpty else { continue }
            if let merged = entries.first(where: { $0.kind == .merged }) {
                result.append(
                    NewPlatformEvent(
                        .leadMerged, subject: id,
                        payload: [
                            "lead_id": .text(id), "source": .text(merged.detail ?? "merge"),
                            "changes": .changes(changes),
                        ]))
            }
            result.append(
                NewPlatformEvent(
                    .leadUpdated, subject: id, payload: ["lead_id": .text(id), "changes": .changes(changes)]))
            if let status = changes.first(where: { $0.field == "status" }) {
                result.append(
                    NewPlatformEvent(
                        .leadStatusChanged, subject: id,
                        payload: ["lead_id": .text(id), "from": .text(status.oldValue), "to": .text(status.newValue)]))
            }
        }
        return result
    }
}
