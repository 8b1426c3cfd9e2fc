import Foundation
import LeadgenCore
import SQLKit

/// The messages owed to webhook endpoints and their delivery log: which are due, what each attempt got, and
/// when the next one is.
///
/// A message is claimed for one attempt under a lease longer than the request's timeout, so several workers
/// never send it at once; a worker killed mid-attempt leaves it to be sent again, with the same `webhook-id`,
/// once the lease runs out. Of a lead's messages to one endpoint only the oldest pending one is due, so an
/// endpoint receives each lead's events in the order they happened.
public struct WebhookMessageStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource
    let schedule: WebhookRetrySchedule

    public init(
        database: LeadgenDatabase, ids: IDGenerator, time: TimeSource, schedule: WebhookRetrySchedule = .standard
    ) {
        self.database = database
        self.ids = ids
        self.time = time
        self.schedule = schedule
    }

    // MARK: The delivery job

    public static let deliveryJobKind = "webhook_delivery"
    public static let deliveryQueue = "webhooks"
    public static let deliveryScheduleName = "webhook-delivery"

    /// The delivery job queued when messages are written: one waits at a time under its key.
    public static func deliveryJob() throws -> NewJob {
        try NewJob(
            kind: deliveryJobKind, payload: [String: String](), queue: deliveryQueue, priority: 2,
            uniqueKey: deliveryScheduleName)
    }

    /// Queues a delivery job for when the next attempt is due, keyed by that second: the job that runs now
    /// still holds the other keys, and two jobs that meet claim different messages.
    public func queueNextAttempt() async throws {
        guard let next = try await nextAttempt(), next > time.now() else { return }
        let second = Int(next.timeIntervalSince1970.rounded(.up))
        try await JobQueue(database: database, ids: ids, time: time).enqueue(
            try NewJob(
                kind: Self.deliveryJobKind, payload: [String: String](), queue: Self.deliveryQueue, priority: 2,
                runAt: Date(timeIntervalSince1970: TimeInterval(second)),
                uniqueKey: "\(Self.deliveryScheduleName)-at-\(second)"))
    }

    // MARK: Attempts

    /// Claims up to `limit` due messages for one attempt each, oldest due first.
    public func claim(limit: Int, lease: TimeInterval) async throws -> [WebhookDelivery] {
        let now = time.now()
        let lock: SQLQueryString = database.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.sql.raw(
            """
            UPDATE webhook_messages SET lease_until = \(bind: now.addingTimeInterval(lease)), attempts = attempts + 1
            WHERE id IN (
                SELECT m.id FROM webhook_messages m
                WHERE \(unsafeRaw: Self.sendable) AND m.next_attempt_at <= \(bind: now)
                    AND (m.lease_until IS NULL OR m.lease_until <= \(bind: now))
                ORDER BY m.next_attempt_at, m.created_at, m.id
                LIMIT \(bind: limit)
                \(lock)
            )
            RETURNING id, endpoint_id, event_type, body, attempts
            """
        ).all()
        return try rows.map { row in
            WebhookDelivery(
                messageID: try row.decode(column: "id"), endpointID: try row.decode(column: "endpoint_id"),
                eventType: try row.decode(column: "event_type"), body: try row.decode(column: "body"),
                attempt: try row.decode(column: "attempts"))
        }.sorted { $0.messageID < $1.messageID }
    }

    /// Records what an attempt got. A 2xx delivers the message; 410 Gone disables the endpoint; anything else
    /// schedules the next attempt (no sooner than the endpoint's `Retry-After`) or, after the last, fails the
    /// message. An endpoint that has failed every attempt for `disableAfter` is disabled.
    public func record(_ delivery: WebhookDelivery, startedAt: Date, result: WebhookAttemptResult) async throws {
        let now = time.now()
        let attemptID = ids()
        let schedule = self.schedule
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO webhook_attempts (id, message_id, endpoint_id, attempt, started_at, duration_ms,
                    status_code, error, response_excerpt, succeeded)
                VALUES (\(bind: attemptID), \(bind: delivery.messageID), \(bind: delivery.endpointID),
                    \(bind: delivery.attempt), \(bind: startedAt), \(bind: result.durationMilliseconds),
                    \(SQLValue.of(result.statusCode)), \(SQLValue.of(result.error)),
                    \(bind: result.responseExcerpt), \(bind: result.succeeded ? 1 : 0))
                """
            ).run()
            if result.succeeded {
                try await db.raw(
                    """
                    UPDATE webhook_messages SET state = 'delivered', delivered_at = \(bind: now), lease_until = NULL,
                        last_status = \(SQLValue.of(result.statusCode)), last_error = NULL
                    WHERE id = \(bind: delivery.messageID)
                    """
                ).run()
                try await db.raw(
                    """
                    UPDATE webhook_endpoints SET failing_since = NULL
                    WHERE id = \(bind: delivery.endpointID) AND failing_since IS NOT NULL
                    """
                ).run()
                return
            }
            let problem = result.error ?? result.statusCode.map { "the endpoint answered \($0)" } ?? "no answer"
            if result.statusCode == 410 {
                try await fail(delivery, reason: problem, status: result.statusCode, db: db)
                try await disable(
                    delivery.endpointID, reason: "the endpoint answered 410 Gone: it asked for no more messages",
                    now: now, db: db)
                return
            }
            if let delay = schedule.delay(afterAttempt: delivery.attempt, retryAfter: result.retryAfter) {
                try await db.raw(
                    """
                    UPDATE webhook_messages SET next_attempt_at = \(bind: now.addingTimeInterval(delay)),
                        lease_until = NULL, last_status = \(SQLValue.of(result.statusCode)),
                        last_error = \(bind: problem)
                    WHERE id = \(bind: delivery.messageID)
                    """
                ).run()
            } else {
                try await fail(delivery, reason: problem, status: result.statusCode, db: db)
            }
            let failing = try await db.raw(
                """
                UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, \(bind: now))
                WHERE id = \(bind: delivery.endpointID)
                RETURNING failing_since
                """
            ).first()?.decode(column: "failing_since", as: Date.self)
            if let failing, now.timeIntervalSince(failing) >= schedule.disableAfter {
                try await disable(
                    delivery.endpointID,
                    reason: "every attempt failed for \(Int(schedule.disableAfter / 86400)) days (last: \(problem))",
                    now: now, db: db)
            }
        }
    }

    private func fail(_ delivery: WebhookDelivery, reason: String, status: Int?, db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE webhook_messages SET state = 'failed', lease_until = NULL, last_status = \(SQLValue.of(status)),
                last_error = \(bind: reason)
            WHERE id = \(bind: delivery.messageID)
            """
        ).run()
    }

    private func disable(_ endpointID: String, reason: String, now: Date, db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE id = \(bind: endpointID) AND status = 'active'
            """
        ).run()
    }

    /// The messages `m` that go next: pending, to an active endpoint, and the oldest pending one of their lead
    /// to that endpoint.
    static let sendable = """
        m.state = 'pending'
        AND m.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE status = 'active')
        AND NOT EXISTS (
            SELECT 1 FROM webhook_messages p
            WHERE p.endpoint_id = m.endpoint_id AND p.subject = m.subject AND p.state = 'pending'
                AND (p.created_at < m.created_at OR (p.created_at = m.created_at AND p.id < m.id)))
        """

    /// When the next message that can go is due: its next attempt, or when the worker holding it is given up.
    public func nextAttempt() async throws -> Date? {
        try await database.sql.raw(
            """
            SELECT MIN(CASE WHEN m.lease_until > m.next_attempt_at THEN m.lease_until ELSE m.next_attempt_at END)
                AS next
            FROM webhook_messages m WHERE \(unsafeRaw: Self.sendable)
            """
        ).first()?.decode(column: "next", as: Date?.self)
    }

    /// How long a delivered or failed message and its attempts are kept.
    public static let retention: TimeInterval = 30 * 86400

    /// Forgets delivered and failed messages older than `retention`, with their attempts, oldest first, at
    /// most `limit` a call; returns how many.
    @discardableResult
    public func prune(limit: Int = 1000) async throws -> Int {
        let cutoff = time.now().addingTimeInterval(-Self.retention)
        return try await database.transaction { db in
            let ids = try await db.raw(
                """
                SELECT id FROM webhook_messages WHERE state <> 'pending' AND created_at < \(bind: cutoff)
                ORDER BY created_at LIMIT \(bind: limit)
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            guard !ids.isEmpty else { return 0 }
            try await db.raw("DELETE FROM webhook_attempts WHERE message_id IN (\(binds: ids))").run()
            try await db.raw("DELETE FROM webhook_messages WHERE id IN (\(binds: ids))").run()
            return ids.count
        }
    }

    // MARK: What people see and do

    /// Queues a `webhook.test` message for the endpoint, and returns its id; nil when there is no such endpoint.
    public func sendTest(to endpointID: String, in workspace: WorkspaceID) async throws -> String? {
        let now = time.now()
        let id = "msg_" + ids()
        let jobs = JobQueue(database: database, ids: ids, time: time)
        return try await database.transaction { db in
            guard try await WebhookEndpointStore.get(endpointID, in: workspace, db: db) != nil else { return nil }
            let body = WebhookEventBody.text(
                type: WebhookEndpoint.testEventType, at: now,
                payload: .object(["endpoint_id": .string(endpointID), "message": .string("a test from Leadgen")]),
                lead: nil)
            try await WebhookOutbox.insert(
                [
                    NewWebhookMessage(
                        id: id, endpointID: endpointID, eventType: WebhookEndpoint.testEventType, subject: nil,
                        body: body)
                ], workspace: workspace, at: now, on: db)
            try await jobs.enqueue(try Self.deliveryJob(), on: db)
            return id
        }
    }

    /// The endpoint's messages, newest first.
    public func messages(of endpointID: String, in workspace: WorkspaceID, limit: Int = 100) async throws
        -> [WebhookMessage]
    {
        try await database.sql.raw(
            """
            SELECT id, event_type, subject, state, attempts, next_attempt_at, last_status, last_error, delivered_at,
                created_at
            FROM webhook_messages
            WHERE endpoint_id = \(bind: endpointID) AND workspace_id = \(bind: workspace.rawValue)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            WebhookMessage(
                id: try row.decode(column: "id"), eventType: try row.decode(column: "event_type"),
                subject: try row.decode(column: "subject", as: String?.self),
                state: WebhookMessage.State(rawValue: try row.decode(column: "state")) ?? .failed,
                attempts: try row.decode(column: "attempts"),
                nextAttemptAt: try row.decode(column: "next_attempt_at"),
                lastStatus: try row.decode(column: "last_status", as: Int?.self),
                lastError: try row.decode(column: "last_error", as: String?.self),
                deliveredAt: try row.decode(column: "delivered_at", as: Date?.self),
                createdAt: try row.decode(column: "created_at"))
        }
    }

    /// The endpoint's delivery attempts, newest first.
    public func attempts(of endpointID: String, in workspace: WorkspaceID, limit: Int = 100) async throws
        -> [WebhookAttempt]
    {
        try await database.sql.raw(
            """
            SELECT a.id, a.message_id, m.event_type, a.attempt, a.started_at, a.duration_ms, a.status_code, a.error,
                a.response_excerpt, a.succeeded
            FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id
            WHERE a.endpoint_id = \(bind: endpointID) AND m.workspace_id = \(bind: workspace.rawValue)
            ORDER BY a.started_at DESC, a.id DESC LIMIT \(bind: limit)
            """
        ).all().map { row in
            WebhookAttempt(
                id: try row.decode(column: "id"), messageID: try row.decode(column: "message_id"),
                eventType: try row.decode(column: "event_type"), attempt: try row.decode(column: "attempt"),
                startedAt: try row.decode(column: "started_at"),
                durationMilliseconds: try row.decode(column: "duration_ms"),
                statusCode: try row.decode(column: "status_code", as: Int?.self),
                error: try row.decode(column: "error", as: String?.self),
                responseExcerpt: try row.decode(column: "response_excerpt"),
                succeeded: try row.decode(column: "succeeded", as: Int.self) != 0)
        }
    }

    /// Sends the endpoint's delivered or failed messages again: one (`messageID`), or every one created since
    /// `since`. Each keeps its `webhook-id`, so a receiver that already has it can tell. Returns how many were
    /// queued.
    public func replay(
        endpointID: String, in workspace: WorkspaceID, messageID: String? = nil, since: Date? = nil
    ) async throws -> Int {
        let now = time.now()
        let jobs = JobQueue(database: database, ids: ids, time: time)
        let oneMessage: SQLQueryString = messageID.map { "AND id = \(bind: $0)" } ?? ""
        let createdSince: SQLQueryString = since.map { "AND created_at >= \(bind: $0)" } ?? ""
        return try await database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE webhook_messages SET state = 'pending', attempts = 0, next_attempt_at = \(bind: now),
                    lease_until = NULL
                WHERE endpoint_id = \(bind: endpointID) AND workspace_id = \(bind: workspace.rawValue)
                    AND state <> 'pending'
                    \(oneMessage) \(createdSince)
                RETURNING id
                """
            ).all()
            if !rows.isEmpty { try await jobs.enqueue(try Self.deliveryJob(), on: db) }
            return rows.count
        }
    }
}
