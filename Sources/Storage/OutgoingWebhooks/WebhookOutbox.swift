import Foundation
import LeadgenCore
import SQLKit

/// Writes the messages owed to a workspace's webhook endpoints, in the transaction of the change they
/// report: a crash after the commit loses none, and a change rolled back sends none.
///
/// A workspace without active endpoints pays one indexed lookup a transaction.
struct WebhookOutbox: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    /// Messages per multi-row INSERT.
    static let insertChunk = 200

    /// Records one message per event and active endpoint subscribed to its type, on `db`, and queues the
    /// delivery. A lead's created, updated and status events carry the lead as it is after the change.
    func record(_ events: [NewPlatformEvent], workspace: WorkspaceID, on db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let endpoints = try await WebhookEndpointStore.active(in: workspace, db: db)
        let wanted = events.filter { event in endpoints.contains { $0.wants(event.kind.rawValue) } }
        guard !wanted.isEmpty else { return }
        let now = time.now()
        let leads = try await snapshots(of: wanted, workspace: workspace, db: db)
        var messages: [NewWebhookMessage] = []
        for event in wanted {
            let type = event.kind.rawValue
            let subscribers = endpoints.filter { $0.wants(type) }
            let snapshot = event.subject.flatMap { leads[LeadID(rawValue: $0)] }.flatMap(WebhookEventBody.lead)
            let body = WebhookEventBody.text(type: type, at: now, payload: event.payloadJSON, lead: snapshot)
            for endpoint in subscribers {
                messages.append(
                    NewWebhookMessage(
                        id: "msg_" + ids(), endpointID: endpoint.id, eventType: type, subject: event.subject, body: body
                    ))
            }
        }
        guard !messages.isEmpty else { return }
        try await Self.insert(messages, workspace: workspace, at: now, on: db)
        try await JobQueue(database: database, ids: ids, time: time).enqueue(
            try WebhookMessageStore.deliveryJob(), on: db)
    }

    /// The leads the lead events are about, as the API shows them, read on `db` after the change.
    private func snapshots(of events: [NewPlatformEvent], workspace: WorkspaceID, db: any SQLDatabase) async throws
        -> [LeadID: LeadDTO]
    {
        let kinds: Set<PlatformEvent.Kind> = [.leadCreated, .leadUpdated, .leadMerged, .leadStatusChanged]
        let ids = Set(events.filter { kinds.contains($0.kind) }.compactMap(\.subject).map(LeadID.init(rawValue:)))
        guard !ids.isEmpty else { return [:] }
        let reader = IngestReader(db: db, workspace: workspace)
        let leads = try await reader.leads(ids)
        let companies = try await reader.companies(matching: [], plus: Set(leads.values.compactMap(\.companyID)))
        return leads.mapValues { LeadDTO($0, company: $0.companyID.flatMap { companies[$0] }) }
    }

    static func insert(
        _ messages: [NewWebhookMessage], workspace: WorkspaceID, at now: Date, on db: any SQLDatabase
    ) async throws {
        for chunk in messages.chunked(insertChunk) {
            let insert = db.insert(into: "webhook_messages").columns(
                "id", "workspace_id", "endpoint_id", "event_type", "subject", "body", "state", "next_attempt_at",
                "created_at")
            for message in chunk {
                insert.values(
                    SQLBind(message.id), SQLBind(workspace.rawValue), SQLBind(message.endpointID),
                    SQLBind(message.eventType), SQLValue.of(message.subject), SQLBind(message.body),
                    SQLLiteral.string("pending"), SQLBind(now), SQLBind(now))
            }
            try await insert.run()
        }
    }
}

/// A message to write: its id (the `webhook-id`), where it goes, and the body every attempt sends.
struct NewWebhookMessage: Sendable {
    var id: String
    var endpointID: String
    var eventType: String
    var subject: String?
    var body: String
}

extension NewPlatformEvent {
    /// The payload as JSON.
    var payloadJSON: JSON {
        (try? JSONEncoder().encode(payload)).flatMap { try? JSON.parse($0) } ?? .object([:])
    }
}
