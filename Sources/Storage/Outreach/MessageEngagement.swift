import Foundation
import LeadgenCore
import SQLKit

/// What came of a message, as the engagement log counts it.
public enum Engagement: String, Sendable, CaseIterable, Codable {
    case delivered, opened, clicked, replied, bounced, unsubscribed
    case spamReport = "spam_report"
    case failed

    /// The message's column holding when it first happened.
    var column: String {
        switch self {
        case .delivered: "delivered_at"
        case .opened: "opened_at"
        case .clicked: "clicked_at"
        case .replied: "replied_at"
        case .bounced: "bounced_at"
        case .unsubscribed: "unsubscribed_at"
        case .spamReport: "spam_reported_at"
        case .failed: "failed_at"
        }
    }

    var platformEvent: PlatformEvent.Kind {
        switch self {
        case .delivered: .messageDelivered
        case .opened: .messageOpened
        case .clicked: .messageClicked
        case .replied: .messageReplied
        case .bounced: .messageBounced
        case .unsubscribed: .messageUnsubscribed
        case .spamReport: .messageSpamReport
        case .failed: .messageFailed
        }
    }

    /// The engagement a vendor's event kind (as the engagement log names it) counts as; nil for the ones that
    /// count as none (processed, deferred, accepted…).
    public init?(eventKind: String) {
        switch eventKind {
        case "delivered": self = .delivered
        case "opened", "open": self = .opened
        case "clicked", "click": self = .clicked
        case "replied": self = .replied
        case "bounced", "dropped_bounced": self = .bounced
        case "unsubscribed", "dropped_unsubscribed", "sms_stop": self = .unsubscribed
        case "spam_report", "dropped_spam_report": self = .spamReport
        case "failed", "undelivered", "dropped", "rejected": self = .failed
        default: return nil
        }
    }

    /// What it does to the enrolment: a reply, a bounce, an unsubscribe or a spam report ends it.
    public var stopsEnrollment: Enrollment.Status? {
        switch self {
        case .replied: .replied
        case .bounced: .bounced
        case .unsubscribed, .spamReport: .unsubscribed
        default: nil
        }
    }
}

/// Links vendors' events to the messages they are about, and applies what they mean: the message's engagement,
/// the enrolment stopped on a reply, bounce, unsubscribe or spam report (and, on a reply, the company's other
/// leads in the sequence when the sequence says so), the lead replied, and a `message.*` platform event.
public struct MessageEngagementStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// The message an event names: by our own id (sent along as a custom argument), else by the vendor's id.
    public func find(
        messageID: String?, provider: String, providerMessageID: String?, in workspace: WorkspaceID
    ) async throws -> OutreachMessage? {
        if let messageID,
            let found = try await database.sql.raw(
                """
                SELECT * FROM messages WHERE id = \(bind: messageID) AND workspace_id = \(bind: workspace.rawValue)
                """
            ).first()
        {
            return try MessageStore.decode(found)
        }
        guard let providerMessageID, !providerMessageID.isEmpty else { return nil }
        return try await database.sql.raw(
            """
            SELECT * FROM messages WHERE provider = \(bind: provider)
                AND provider_message_id = \(bind: Self.bare(providerMessageID))
                AND workspace_id = \(bind: workspace.rawValue)
            """
        ).first().map(MessageStore.decode)
    }

    /// The latest message sent to a recipient (an e-mail address or a number): what a reply answers when it
    /// names no message.
    public func latest(to recipient: String, channel: String, in workspace: WorkspaceID) async throws
        -> OutreachMessage?
    {
        try await database.sql.raw(
            """
            SELECT * FROM messages WHERE workspace_id = \(bind: workspace.rawValue)
                AND recipient = \(bind: channel == "email" ? recipient.lowercased() : recipient)
                AND channel = \(bind: channel) AND status IN ('sent', 'unknown')
            ORDER BY created_at DESC, id DESC LIMIT 1
            """
        ).first().map(MessageStore.decode)
    }

    /// The latest message sent to the lead (or leads) with this address or number, on any channel: what a reply
    /// answers when it came on another channel than the last message (an SMS answering an e-mail).
    public func latest(toLeadWith recipient: String, channel: String, in workspace: WorkspaceID) async throws
        -> OutreachMessage?
    {
        let match: SQLQueryString =
            channel == "email"
            ? "email = \(bind: recipient.lowercased())" : "phones LIKE \(bind: "%\"" + recipient + "\"%")"
        return try await database.sql.raw(
            """
            SELECT * FROM messages WHERE workspace_id = \(bind: workspace.rawValue) AND status IN ('sent', 'unknown')
                AND lead_id IN (SELECT id FROM leads WHERE workspace_id = \(bind: workspace.rawValue) AND \(match))
            ORDER BY created_at DESC, id DESC LIMIT 1
            """
        ).first().map(MessageStore.decode)
    }

    /// Applies `engagement` to the message once (a repeat changes nothing); links the logged vendor event
    /// (`eventKey`) to it. `stopCompany` also ends, on a reply, the sequence for the other leads of the same
    /// company. Returns whether it was new.
    @discardableResult
    public func apply(
        _ engagement: Engagement, to message: OutreachMessage, at date: Date,
        event: (provider: String, key: String)? = nil, stopOnReply: Bool = true, stopCompany: Bool = false
    ) async throws -> Bool {
        let now = time.now()
        let (database, ids, time) = (self.database, self.ids, self.time)
        return try await database.transaction { db in
            if let event {
                try await db.raw(
                    """
                    UPDATE message_events SET message_id = \(bind: message.id)
                    WHERE provider = \(bind: event.provider) AND event_key = \(bind: event.key)
                    """
                ).run()
            }
            let column = SQLIdentifier(engagement.column)
            let changed = try await db.raw(
                """
                UPDATE messages SET \(column) = \(bind: date), updated_at = \(bind: now)
                WHERE id = \(bind: message.id) AND \(column) IS NULL RETURNING id
                """
            ).all()
            guard !changed.isEmpty else { return false }
            var ended: [any SQLRow] = []
            if let status = engagement.stopsEnrollment, engagement != .replied || stopOnReply {
                ended += try await db.raw(
                    """
                    UPDATE enrollments SET status = \(bind: status.rawValue), status_reason = \(bind: engagement.rawValue),
                        next_action_at = NULL, updated_at = \(bind: now)
                    WHERE id = \(bind: message.enrollmentID) AND status IN ('active', 'paused')
                    \(EnrollmentEnding.returning)
                    """
                ).all()
            }
            var events = [Self.event(engagement.platformEvent, message)]
            if engagement == .replied {
                let replied = LeadStatusTransition.Rule.replied
                events += try await LeadStatusTransition(db: db, ids: ids, time: time).apply(
                    message.leadID, to: replied.to, from: replied.from, in: message.workspaceID, actor: "outreach")
                if stopCompany {
                    ended += try await db.raw(
                        """
                        UPDATE enrollments SET status = 'finished', status_reason = 'company_replied',
                            next_action_at = NULL, updated_at = \(bind: now)
                        WHERE sequence_id = \(bind: message.sequenceID) AND status IN ('active', 'paused')
                            AND id <> \(bind: message.enrollmentID)
                            AND lead_id IN (
                                SELECT l.id FROM leads l JOIN leads r ON r.company_id = l.company_id
                                WHERE r.id = \(bind: message.leadID.rawValue) AND l.company_id IS NOT NULL)
                        \(EnrollmentEnding.returning)
                        """
                    ).all()
                }
            }
            let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
            try await outbox.record(events, workspace: message.workspaceID, on: db)
            try await EnrollmentEnding.record(ended, outbox: outbox, on: db)
            return true
        }
    }

    /// Enrolments still going for a lead whose address or number was suppressed stop with the suppression's
    /// reason (an unsubscribe through the one-click link, say).
    public func stopEnrollments(
        recipient: String, channel: String, status: Enrollment.Status, reason: String, in workspace: WorkspaceID
    ) async throws {
        let now = time.now()
        let match: SQLQueryString =
            channel == "email"
            ? "email = \(bind: recipient.lowercased())" : "phones LIKE \(bind: "%\"" + recipient + "\"%")"
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        try await database.transaction { db in
            let ended = try await db.raw(
                """
                UPDATE enrollments SET status = \(bind: status.rawValue), status_reason = \(bind: reason),
                    next_action_at = NULL, updated_at = \(bind: now)
                WHERE workspace_id = \(bind: workspace.rawValue) AND status IN ('active', 'paused')
                    AND lead_id IN (SELECT id FROM leads WHERE workspace_id = \(bind: workspace.rawValue)
                                    AND \(match))
                \(EnrollmentEnding.returning)
                """
            ).all()
            try await EnrollmentEnding.record(ended, outbox: outbox, on: db)
        }
    }

    static func event(_ kind: PlatformEvent.Kind, _ message: OutreachMessage) -> NewPlatformEvent {
        var payload: [String: NewPlatformEvent.PayloadValue] = [
            "message_id": .text(message.id), "lead_id": .text(message.leadID.rawValue),
            "sequence_id": .text(message.sequenceID), "step_id": .text(message.stepID),
            "channel": .text(message.channel),
        ]
        payload["variant"] = .text(message.variant)
        return NewPlatformEvent(kind, subject: message.leadID.rawValue, payload: payload)
    }

    /// A vendor id without the angle brackets Mailgun's send answer puts around it.
    static func bare(_ id: String) -> String {
        id.trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
    }
}
