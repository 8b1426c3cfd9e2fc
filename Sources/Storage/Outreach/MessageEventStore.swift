import Foundation
import LeadgenCore
import SQLKit

/// A delivery event from a messaging vendor.
public struct MessageEvent: Sendable, Equatable {
    public var provider: String
    /// The vendor's own key for the event (`sg_event_id`, Mailgun's `event-data.id`, Twilio's
    /// `MessageSid:MessageStatus`): a delivery repeated by the vendor has the same key.
    public var eventKey: String
    /// delivered, opened, clicked, bounced, unsubscribed, spam_report, failed, replied…
    public var kind: String
    public var recipient: String?
    public var providerMessageID: String?
    /// The event as received, JSON text.
    public var payload: String
    public var occurredAt: Date

    public init(
        provider: String, eventKey: String, kind: String, recipient: String?, providerMessageID: String?,
        payload: String, occurredAt: Date
    ) {
        self.provider = provider
        self.eventKey = eventKey
        self.kind = kind
        self.recipient = recipient
        self.providerMessageID = providerMessageID
        self.payload = payload
        self.occurredAt = occurredAt
    }
}

/// The engagement log: vendors' events, each kept once however often the vendor delivers it.
public struct MessageEventStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Records the event; false when it was recorded before (a repeated delivery), which changes nothing.
    public func record(_ event: MessageEvent, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            INSERT INTO message_events (id, workspace_id, provider, event_key, kind, recipient, provider_message_id,
                                        payload, occurred_at, received_at)
            VALUES (\(bind: ids()), \(bind: workspace.rawValue), \(bind: event.provider), \(bind: event.eventKey),
                    \(bind: event.kind), \(bind: event.recipient), \(bind: event.providerMessageID),
                    \(bind: event.payload), \(bind: event.occurredAt), \(bind: time.now()))
            ON CONFLICT DO NOTHING RETURNING id
            """
        ).all().isEmpty
    }

    public func events(provider: String, in workspace: WorkspaceID, limit: Int = 500) async throws -> [MessageEvent] {
        try await database.sql.raw(
            """
            SELECT * FROM message_events WHERE workspace_id = \(bind: workspace.rawValue) AND provider = \(bind: provider)
            ORDER BY received_at, id LIMIT \(bind: limit)
            """
        ).all().map { row in
            MessageEvent(
                provider: try row.decode(column: "provider"), eventKey: try row.decode(column: "event_key"),
                kind: try row.decode(column: "kind"), recipient: try row.decode(column: "recipient", as: String?.self),
                providerMessageID: try row.decode(column: "provider_message_id", as: String?.self),
                payload: try row.decode(column: "payload"), occurredAt: try row.decode(column: "occurred_at"))
        }
    }
}
