import Foundation
import LeadgenCore
import SQLKit

/// One message of a sequence to one lead: the effect ledger's entry for its enrolment and step.
public struct OutreachMessage: Sendable, Equatable {
    /// sending: the vendor is being called (or the process died while it was); sent: the vendor took it;
    /// unknown: a crash or an answer that did not say left it unclear whether it went out, never resent
    /// automatically; failed: the vendor refused it.
    public enum Status: String, Sendable, Codable, CaseIterable { case sending, sent, unknown, failed }

    public var id: String
    public var workspaceID: WorkspaceID
    public var sequenceID: String
    public var enrollmentID: String
    public var leadID: LeadID
    public var stepIndex: Int
    public var stepID: String
    public var variant: String?
    /// email, sms or webhook.
    public var channel: String
    public var provider: String
    public var senderID: String?
    public var recipient: String
    public var subject: String?
    public var body: String
    public var status: Status
    public var error: String?
    public var providerMessageID: String?
    public var createdAt: Date
    public var sentAt: Date?

    public init(
        id: String, workspaceID: WorkspaceID, sequenceID: String, enrollmentID: String, leadID: LeadID,
        stepIndex: Int, stepID: String, variant: String?, channel: String, provider: String, senderID: String?,
        recipient: String, subject: String?, body: String, status: Status = .sending, error: String? = nil,
        providerMessageID: String? = nil, createdAt: Date, sentAt: Date? = nil
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.sequenceID = sequenceID
        self.enrollmentID = enrollmentID
        self.leadID = leadID
        self.stepIndex = stepIndex
        self.stepID = stepID
        self.variant = variant
        self.channel = channel
        self.provider = provider
        self.senderID = senderID
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = status
        self.error = error
        self.providerMessageID = providerMessageID
        self.createdAt = createdAt
        self.sentAt = sentAt
    }

    /// The part after the @ of an e-mail recipient.
    public var recipientDomain: String? {
        guard channel == "email", let at = recipient.lastIndex(of: "@") else { return nil }
        return String(recipient[recipient.index(after: at)...]).lowercased()
    }
}

/// The effect ledger of outreach (architecture decision 4). A send is written as `sending` before the vendor
/// is called and settled after; at most one message per enrolment and step can ever exist, so no step is sent
/// twice to a lead, whatever crashes or retries.
public struct MessageStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public enum Begun: Sendable, Equatable {
        /// Written as sending: call the vendor now.
        case started
        /// This enrolment's step has a message already: never call the vendor again for it.
        case existing(OutreachMessage)
        /// The recipient (its address, its domain or its number) is on the suppression list: nothing written.
        case suppressed(Suppression)
    }

    /// Writes the message as `sending` unless its enrolment and step have one already or its recipient is
    /// suppressed — checked in the same statement, so nothing can be sent to an address suppressed before it.
    public func begin(_ message: OutreachMessage, retry: Bool = true) async throws -> Begun {
        let now = time.now()
        let email = message.channel == "email" ? message.recipient.lowercased() : ""
        let phone = message.channel == "sms" ? message.recipient : ""
        let inserted = try await database.sql.raw(
            """
            INSERT INTO messages (id, workspace_id, sequence_id, enrollment_id, lead_id, step_index, step_id, variant,
                                  channel, provider, sender_id, recipient, recipient_domain, subject, body, status,
                                  created_at, updated_at)
            SELECT \(bind: message.id), \(bind: message.workspaceID.rawValue), \(bind: message.sequenceID),
                   \(bind: message.enrollmentID), \(bind: message.leadID.rawValue), \(bind: message.stepIndex),
                   \(bind: message.stepID), \(bind: message.variant), \(bind: message.channel),
                   \(bind: message.provider), \(bind: message.senderID), \(bind: message.recipient),
                   \(bind: message.recipientDomain), \(bind: message.subject), \(bind: message.body), 'sending',
                   \(bind: now), \(bind: now)
            WHERE NOT EXISTS (
                SELECT 1 FROM suppressions WHERE workspace_id = \(bind: message.workspaceID.rawValue) AND (
                    (kind = 'email' AND value = \(bind: email)) OR (kind = 'domain' AND value = \(bind: message.recipientDomain ?? ""))
                    OR (kind = 'phone' AND value = \(bind: phone))))
            ON CONFLICT (enrollment_id, step_index) DO NOTHING RETURNING id
            """
        ).all()
        if !inserted.isEmpty { return .started }
        if let existing = try await step(message.enrollmentID, message.stepIndex) { return .existing(existing) }
        let suppression = try await SuppressionStore(database: database, ids: ids, time: time).matching(
            email: message.channel == "email" ? message.recipient : nil,
            phone: message.channel == "sms" ? message.recipient : nil, in: message.workspaceID)
        if let suppression { return .suppressed(suppression) }
        // The suppression was lifted in between: the write goes through now, or the step waits for the next pass.
        guard retry else { throw LedgerRace(enrollmentID: message.enrollmentID, stepIndex: message.stepIndex) }
        return try await begin(message, retry: false)
    }

    /// Nothing was written for a step, yet nothing explains why: it is left for the next pass.
    public struct LedgerRace: Error, CustomStringConvertible {
        public var enrollmentID: String
        public var stepIndex: Int
        public var description: String {
            "the message of enrolment \(enrollmentID), step \(stepIndex) could not be written; it is tried again later"
        }
    }

    /// The message of an enrolment's step, if any.
    public func step(_ enrollmentID: String, _ stepIndex: Int) async throws -> OutreachMessage? {
        try await database.sql.raw(
            """
            SELECT * FROM messages WHERE enrollment_id = \(bind: enrollmentID) AND step_index = \(bind: stepIndex)
            """
        ).first().map(Self.decode)
    }

    /// What to record for a message the vendor took.
    public struct SentSettlement: Sendable {
        public var message: OutreachMessage
        public var providerMessageID: String
        public var nextStep: Int
        public var nextActionAt: Date
        public var finished: Bool
        public var leadStatus: LeadStatus?

        public init(
            message: OutreachMessage, providerMessageID: String, nextStep: Int, nextActionAt: Date, finished: Bool,
            leadStatus: LeadStatus?
        ) {
            self.message = message
            self.providerMessageID = providerMessageID
            self.nextStep = nextStep
            self.nextActionAt = nextActionAt
            self.finished = finished
            self.leadStatus = leadStatus
        }
    }

    /// Settles several sent messages in one transaction, as `settleSent` does each: a dispatcher's sends that
    /// finish together are recorded together (group commit), with a few statements for all of them.
    public func settleSent(_ items: [SentSettlement]) async throws {
        guard !items.isEmpty else { return }
        let now = time.now()
        let (ids, time) = (self.ids, self.time)
        let database = self.database
        try await database.transaction { db in
            var ended: [any SQLRow] = []
            for chunk in items.chunked(200) {
                let messageIDs = chunk.map(\.message.id)
                var providerIDs: SQLQueryString = "CASE id"
                for item in chunk {
                    providerIDs = providerIDs + " WHEN \(bind: item.message.id) THEN \(bind: item.providerMessageID)"
                }
                providerIDs = providerIDs + " END"
                try await db.raw(
                    """
                    UPDATE messages SET status = 'sent', provider_message_id = \(providerIDs), sent_at = \(bind: now),
                        error = NULL, updated_at = \(bind: now)
                    WHERE id IN (\(binds: messageIDs))
                    """
                ).run()
                var steps: SQLQueryString = "CASE id"
                var next: SQLQueryString = "CASE id"
                var status: SQLQueryString = "CASE id"
                for item in chunk {
                    let id = item.message.enrollmentID
                    steps = steps + " WHEN \(bind: id) THEN \(bind: item.nextStep)"
                    next =
                        next
                        + (item.finished
                            ? " WHEN \(bind: id) THEN CAST(NULL AS TIMESTAMPTZ)"
                            : " WHEN \(bind: id) THEN \(bind: item.nextActionAt)")
                    status = status + " WHEN \(bind: id) THEN \(bind: item.finished ? "finished" : "active")"
                }
                ended += try await db.raw(
                    """
                    UPDATE enrollments SET step_index = \(steps) END, next_action_at = \(next) END,
                        status = \(status) END, status_reason = NULL, updated_at = \(bind: now)
                    WHERE id IN (\(binds: chunk.map(\.message.enrollmentID))) AND status = 'active'
                    \(EnrollmentEnding.returning)
                    """
                ).all()
            }
            // Leads reached for the first time become contacted (`LeadStatusTransition.Rule.contacted`).
            var events: [WorkspaceID: [NewPlatformEvent]] = [:]
            for item in items {
                events[item.message.workspaceID, default: []].append(
                    MessageEngagementStore.event(.messageSent, item.message))
            }
            let reached = try await LeadStatusTransition(db: db, ids: ids, time: time).apply(
                .contacted,
                to: items.map {
                    LeadStatusTransition.Subject(
                        lead: $0.message.leadID, workspace: $0.message.workspaceID, current: $0.leadStatus)
                }, actor: "outreach")
            events.merge(reached) { $0 + $1 }
            events.merge(try EnrollmentEnding.events(ended)) { $0 + $1 }
            for (workspace, list) in events {
                try await PlatformEventOutbox(database: database, ids: ids, time: time).record(
                    list, workspace: workspace, on: db)
            }
        }
    }

    /// The vendor refused the message for good: it failed, and so does its enrolment (or, with
    /// `enrollmentStatus`, the enrolment takes that status, e.g. unsubscribed for an SMS opt-out).
    public func settleFailed(_ message: OutreachMessage, error: String, enrollmentStatus: String = "failed")
        async throws
    {
        let now = time.now()
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE messages SET status = 'failed', error = \(bind: error), failed_at = \(bind: now),
                    updated_at = \(bind: now)
                WHERE id = \(bind: message.id)
                """
            ).run()
            let ended = try await db.raw(
                """
                UPDATE enrollments SET status = \(bind: enrollmentStatus), status_reason = \(bind: String(error.prefix(200))),
                    next_action_at = NULL, updated_at = \(bind: now)
                WHERE id = \(bind: message.enrollmentID) AND status = 'active'
                \(EnrollmentEnding.returning)
                """
            ).all()
            try await EnrollmentEnding.record(
                ended, outbox: PlatformEventOutbox(database: database, ids: ids, time: time), on: db)
        }
    }

    /// The vendor surely did not take the message (it was rate limited, or the credentials are missing):
    /// the entry goes, as nothing happened, and the enrolment is due again at `retryAt`.
    public func settleNotSent(_ message: OutreachMessage, retryAt: Date, reason: String) async throws {
        let now = time.now()
        try await database.transaction { db in
            try await db.raw("DELETE FROM messages WHERE id = \(bind: message.id) AND status = 'sending'").run()
            try await db.raw(
                """
                UPDATE enrollments SET next_action_at = \(bind: retryAt), status_reason = \(bind: String(reason.prefix(200))),
                    updated_at = \(bind: now)
                WHERE id = \(bind: message.enrollmentID) AND status = 'active'
                """
            ).run()
        }
    }

    /// Whether the vendor took the message cannot be told: it stays visible as unknown, is never resent
    /// automatically, and its enrolment is paused until a person decides.
    public func settleUnknown(_ message: OutreachMessage, error: String) async throws {
        try await markUnknown(messageID: message.id, enrollmentID: message.enrollmentID, error: error)
    }

    func markUnknown(messageID: String, enrollmentID: String, error: String) async throws {
        let now = time.now()
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE messages SET status = 'unknown', error = \(bind: error), updated_at = \(bind: now)
                WHERE id = \(bind: messageID) AND status = 'sending'
                """
            ).run()
            try await db.raw(
                """
                UPDATE enrollments SET status = 'paused', status_reason = 'unknown_send', next_action_at = NULL,
                    updated_at = \(bind: now)
                WHERE id = \(bind: enrollmentID) AND status = 'active'
                """
            ).run()
        }
    }

    /// Messages left `sending` by a process that died: each becomes unknown and its enrolment paused. Run by a
    /// dispatcher before it sends, when no other dispatcher can be sending.
    @discardableResult
    public func settleAbandoned(olderThan cutoff: Date) async throws -> Int {
        let rows = try await database.sql.raw(
            "SELECT id, enrollment_id FROM messages WHERE status = 'sending' AND updated_at < \(bind: cutoff)"
        ).all()
        for row in rows {
            try await markUnknown(
                messageID: try row.decode(column: "id"), enrollmentID: try row.decode(column: "enrollment_id"),
                error: "the process sending it stopped before the vendor's answer was recorded")
        }
        return rows.count
    }

    /// A sequence's messages, oldest first; `status` narrows them.
    public func list(
        sequence sequenceID: String, status: OutreachMessage.Status? = nil, in workspace: WorkspaceID,
        limit: Int = 1000
    ) async throws -> [OutreachMessage] {
        let statusClause: SQLQueryString = status.map { "AND status = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw(
            """
            SELECT * FROM messages WHERE sequence_id = \(bind: sequenceID) AND workspace_id = \(bind: workspace.rawValue)
                \(statusClause)
            ORDER BY created_at, id LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    /// Whether the enrolment's last e-mail before `stepIndex` had the engagement (opened, clicked, replied…).
    public func lastEmailEngagement(_ enrollmentID: String, before stepIndex: Int) async throws -> Set<String> {
        guard
            let row = try await database.sql.raw(
                """
                SELECT delivered_at, opened_at, clicked_at, replied_at, bounced_at, unsubscribed_at FROM messages
                WHERE enrollment_id = \(bind: enrollmentID) AND channel = 'email' AND step_index < \(bind: stepIndex)
                ORDER BY step_index DESC LIMIT 1
                """
            ).first()
        else { return [] }
        var engaged: Set<String> = []
        for (column, name) in [
            ("delivered_at", "delivered"), ("opened_at", "opened"), ("clicked_at", "clicked"),
            ("replied_at", "replied"), ("bounced_at", "bounced"), ("unsubscribed_at", "unsubscribed"),
        ] where try row.decode(column: column, as: Date?.self) != nil {
            engaged.insert(name)
        }
        // A click or a reply implies the message was opened, even where open tracking missed it.
        if engaged.contains("clicked") || engaged.contains("replied") { engaged.insert("opened") }
        return engaged
    }

    static func decode(_ row: any SQLRow) throws -> OutreachMessage {
        OutreachMessage(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            sequenceID: try row.decode(column: "sequence_id"), enrollmentID: try row.decode(column: "enrollment_id"),
            leadID: LeadID(rawValue: try row.decode(column: "lead_id")),
            stepIndex: try row.decode(column: "step_index", as: Int.self), stepID: try row.decode(column: "step_id"),
            variant: try row.decode(column: "variant", as: String?.self), channel: try row.decode(column: "channel"),
            provider: try row.decode(column: "provider"),
            senderID: try row.decode(column: "sender_id", as: String?.self),
            recipient: try row.decode(column: "recipient"),
            subject: try row.decode(column: "subject", as: String?.self),
            body: try row.decode(column: "body"),
            status: OutreachMessage.Status(rawValue: try row.decode(column: "status")) ?? .unknown,
            error: try row.decode(column: "error", as: String?.self),
            providerMessageID: try row.decode(column: "provider_message_id", as: String?.self),
            createdAt: try row.decode(column: "created_at"), sentAt: try row.decode(column: "sent_at", as: Date?.self))
    }
}
