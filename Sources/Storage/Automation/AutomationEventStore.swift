import Foundation
import LeadgenCore
import SQLKit

/// The outbox of platform events and the scenarios that watch them.
///
/// An event is written in the transaction that changed the data, and only when an enabled scenario of the
/// workspace watches its kind, so a workspace without event scenarios pays one indexed lookup a batch. The
/// dispatcher deletes an event in the transaction that queues the runs it starts, so each event starts
/// each watching scenario exactly once, even with several dispatchers.
public struct AutomationEventStore: Sendable {
    /// The job that turns events into runs.
    public static let dispatchJobKind = "scenario_event_dispatch"
    public static let dispatchQueue = "automation"
    static let dispatchKey = "scenario-event-dispatch"

    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// Records the events some enabled scenario of the workspace watches, on `db`, and queues the dispatcher.
    public func record(_ events: [NewPlatformEvent], workspace: WorkspaceID, on db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let kinds = Set(events.map(\.kind.rawValue))
        let watched = try await Set(
            db.raw(
                """
                SELECT DISTINCT s.event FROM scenario_subscriptions s JOIN scenarios c ON c.id = s.scenario_id
                WHERE s.workspace_id = \(bind: workspace.rawValue) AND c.enabled = 1
                """
            ).all().map { try $0.decode(column: "event", as: String.self) }
        ).intersection(kinds)
        guard !watched.isEmpty else { return }
        let now = time.now()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for chunk in events.filter({ watched.contains($0.kind.rawValue) }).chunked(200) {
            let insert = db.insert(into: "automation_events")
                .columns("id", "workspace_id", "kind", "subject", "payload", "created_at")
            for event in chunk {
                insert.values(
                    SQLBind(ids()), SQLBind(workspace.rawValue), SQLBind(event.kind.rawValue),
                    SQLValue.of(event.subject),
                    SQLBind(String(decoding: try encoder.encode(event.payload), as: UTF8.self)), SQLBind(now))
            }
            try await insert.run()
        }
        try await JobQueue(database: database, ids: ids, time: time).enqueue(
            try NewJob(
                kind: Self.dispatchJobKind, payload: [String: String](), queue: Self.dispatchQueue, priority: 2,
                uniqueKey: Self.dispatchKey),
            on: db)
    }

    /// The oldest events not dispatched yet.
    public func pending(limit: Int = 200) async throws -> [PlatformEvent] {
        try await database.sql.raw("SELECT * FROM automation_events ORDER BY created_at, id LIMIT \(bind: limit)")
            .all().map { row in
                PlatformEvent(
                    id: try row.decode(column: "id"),
                    workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
                    kind: try row.decode(column: "kind"), subject: try row.decode(column: "subject", as: String?.self),
                    payload: try row.decode(column: "payload"), createdAt: try row.decode(column: "created_at"))
            }
    }

    /// Deletes the events, on `db`, and returns the ids this call deleted (another dispatcher may have
    /// taken some first).
    public func take(_ ids: [String], on db: any SQLDatabase) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return try await Set(
            db.delete(from: "automation_events").where("id", .in, ids).returning("id").all().map {
                try $0.decode(column: "id", as: String.self)
            })
    }

    /// The number of events waiting.
    public func backlog() async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM automation_events").first()?.decode(
            column: "n", as: Int.self) ?? 0
    }

    // MARK: Subscriptions

    /// Sets the events a scenario watches.
    public func subscribe(_ scenarioID: String, workspace: WorkspaceID, to events: [String]) async throws {
        try await database.transaction { db in
            try await db.delete(from: "scenario_subscriptions").where("scenario_id", .equal, scenarioID).run()
            for event in Set(events) {
                try await db.insert(into: "scenario_subscriptions").columns("scenario_id", "workspace_id", "event")
                    .values(SQLBind(scenarioID), SQLBind(workspace.rawValue), SQLBind(event)).run()
            }
        }
    }

    /// The enabled scenarios of a workspace that watch an event, by id.
    public func subscribers(of event: String, in workspace: WorkspaceID) async throws -> [String] {
        try await database.sql.raw(
            """
            SELECT s.scenario_id FROM scenario_subscriptions s JOIN scenarios c ON c.id = s.scenario_id
            WHERE s.workspace_id = \(bind: workspace.rawValue) AND s.event = \(bind: event) AND c.enabled = 1
            ORDER BY s.scenario_id
            """
        ).all().map { try $0.decode(column: "scenario_id", as: String.self) }
    }
}
