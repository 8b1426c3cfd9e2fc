import Foundation
import LeadgenCore
import SQLKit

/// A bundle a run could not finish, kept to be run again from where it stopped (Make's incomplete
/// executions).
public struct IncompleteExecution: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Waiting for its next automatic attempt, or for someone to retry it.
        case waiting
        /// A retry is queued or running.
        case retrying
        /// A retry finished it.
        case resolved
        /// Its automatic attempts are used up; it can still be retried by hand.
        case exhausted
    }

    public var id: String
    public var scenarioID: String
    public var workspaceID: WorkspaceID
    /// The run that parked it.
    public var runID: String
    /// The module it stopped at.
    public var moduleID: Int
    /// The outputs of the modules before it, JSON text; nil for a confidential scenario.
    public var outputs: String?
    public var error: String
    public var autoRetry: Bool
    public var attempts: Int
    public var maxAttempts: Int
    public var intervalMinutes: Int
    public var status: Status
    public var nextAttemptAt: Date?
    /// The last retry's run.
    public var lastRunID: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// Incomplete executions: parked by a run, retried on their schedule or by hand.
public struct ScenarioIncompleteStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    /// What a run parked.
    public struct Parked: Sendable {
        public var moduleID: Int
        public var outputs: String?
        public var error: String
        public var autoRetry: Bool
        public var maxAttempts: Int
        public var intervalMinutes: Int

        public init(
            moduleID: Int, outputs: String?, error: String, autoRetry: Bool, maxAttempts: Int, intervalMinutes: Int
        ) {
            self.moduleID = moduleID
            self.outputs = outputs
            self.error = error
            self.autoRetry = autoRetry
            self.maxAttempts = maxAttempts
            self.intervalMinutes = intervalMinutes
        }
    }

    /// Keeps what a run parked; an automatic retry is due after its interval.
    public func park(_ items: [Parked], run: String, scenario: String, workspace: WorkspaceID) async throws {
        let now = time.now()
        for item in items {
            let next =
                item.autoRetry && item.maxAttempts > 0 ? now.addingTimeInterval(Double(item.intervalMinutes) * 60) : nil
            try await database.sql.raw(
                """
                INSERT INTO scenario_incomplete (id, scenario_id, workspace_id, run_id, module_id, outputs, error,
                    auto_retry, attempts, max_attempts, interval_minutes, status, next_attempt_at, created_at,
                    updated_at)
                VALUES (\(bind: ids()), \(bind: scenario), \(bind: workspace.rawValue), \(bind: run),
                        \(bind: item.moduleID), \(bind: item.outputs), \(bind: item.error),
                        \(bind: item.autoRetry ? 1 : 0), 0, \(bind: item.maxAttempts), \(bind: item.intervalMinutes),
                        'waiting', \(bind: next), \(bind: now), \(bind: now))
                """
            ).run()
        }
    }

    public func get(_ id: String, in workspace: WorkspaceID? = nil) async throws -> IncompleteExecution? {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw("SELECT * FROM scenario_incomplete WHERE id = \(bind: id) \(scope)")
            .first().map(Self.decode)
    }

    public func list(scenario: String, limit: Int = 100) async throws -> [IncompleteExecution] {
        try await database.sql.raw(
            """
            SELECT * FROM scenario_incomplete WHERE scenario_id = \(bind: scenario)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    /// Waiting executions whose automatic retry is due.
    public func due(at date: Date, limit: Int = 100) async throws -> [IncompleteExecution] {
        try await database.sql.raw(
            """
            SELECT * FROM scenario_incomplete
            WHERE status = 'waiting' AND next_attempt_at IS NOT NULL AND next_attempt_at <= \(bind: date)
            ORDER BY next_attempt_at LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    /// Marks it as being retried by `run`, on `db`; false when it is being retried or is resolved already.
    public func startRetry(_ id: String, run: String, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw(
            """
            UPDATE scenario_incomplete SET status = 'retrying', last_run_id = \(bind: run), next_attempt_at = NULL,
                updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND status IN ('waiting', 'exhausted') RETURNING id
            """
        ).all().isEmpty
    }

    /// Records how a retry ended: resolved, or one more attempt used (waiting for the next, or exhausted).
    public func finishRetry(_ id: String, resolved: Bool, error: String?) async throws {
        guard let item = try await get(id) else { return }
        let now = time.now()
        let attempts = item.attempts + 1
        let status: IncompleteExecution.Status
        var next: Date?
        if resolved {
            status = .resolved
        } else if item.autoRetry, attempts < item.maxAttempts {
            status = .waiting
            next = now.addingTimeInterval(Double(item.intervalMinutes) * 60)
        } else {
            status = .exhausted
        }
        try await database.sql.raw(
            """
            UPDATE scenario_incomplete SET status = \(bind: status.rawValue), attempts = \(bind: attempts),
                next_attempt_at = \(bind: next), error = \(bind: error ?? item.error), updated_at = \(bind: now)
            WHERE id = \(bind: id)
            """
        ).run()
    }

    static func decode(_ row: any SQLRow) throws -> IncompleteExecution {
        IncompleteExecution(
            id: try row.decode(column: "id"), scenarioID: try row.decode(column: "scenario_id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            runID: try row.decode(column: "run_id"), moduleID: try row.decode(column: "module_id", as: Int.self),
            outputs: try row.decode(column: "outputs", as: String?.self), error: try row.decode(column: "error"),
            autoRetry: try row.decode(column: "auto_retry", as: Int.self) != 0,
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            intervalMinutes: try row.decode(column: "interval_minutes", as: Int.self),
            status: IncompleteExecution.Status(rawValue: try row.decode(column: "status")) ?? .waiting,
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Date?.self),
            lastRunID: try row.decode(column: "last_run_id", as: String?.self),
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at"))
    }
}
