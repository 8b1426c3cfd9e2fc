import Foundation
import LeadgenCore
import SQLKit

/// A stored scenario: a blueprint, whether it runs, and its webhook token.
public struct StoredScenario: Sendable, Equatable {
    public var id: String
    public var workspaceID: WorkspaceID
    public var name: String
    /// The blueprint as imported, JSON text.
    public var blueprint: String
    public var enabled: Bool
    /// Runs one at a time, in the order they came (`metadata.scenario.sequential`).
    public var sequential: Bool
    /// The secret part of the scenario's webhook URL, `/hooks/{token}`.
    public var hookToken: String
    /// When a scheduled scenario runs next; nil when it does not run by itself (or is disabled).
    public var nextRunAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
}

/// One run of a scenario.
public struct StoredScenarioRun: Sendable, Equatable {
    public enum Status: String, Sendable, Codable { case queued, running, success, warning, error }

    public var id: String
    public var scenarioID: String
    public var workspaceID: WorkspaceID
    /// webhook, manual, schedule or event.
    public var trigger: String
    public var status: Status
    /// The trigger's bundles as JSON text; cleared after the run of a confidential scenario.
    public var input: String?
    public var operations: Int
    /// The run report as JSON text.
    public var report: String?
    /// The webhook response as JSON text, when the scenario answered.
    public var response: String?
    public var error: String?
    public var createdAt: Date
    public var finishedAt: Date?

    public var isFinished: Bool { status != .queued && status != .running }
}

/// Scenarios and their runs.
public struct ScenarioStore: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        self.database = database
        self.ids = ids
        self.time = time
    }

    public func create(
        name: String, blueprint: String, enabled: Bool, sequential: Bool = false, in workspace: WorkspaceID
    ) async throws -> StoredScenario {
        let now = time.now()
        let scenario = StoredScenario(
            id: ids(), workspaceID: workspace, name: name, blueprint: blueprint, enabled: enabled,
            sequential: sequential, hookToken: Secrets.randomHex(bytes: 24), nextRunAt: nil, createdAt: now,
            updatedAt: now)
        try await database.sql.raw(
            """
            INSERT INTO scenarios (id, workspace_id, name, blueprint, enabled, sequential, hook_token, created_at,
                                   updated_at)
            VALUES (\(bind: scenario.id), \(bind: workspace.rawValue), \(bind: name), \(bind: blueprint),
                    \(bind: enabled ? 1 : 0), \(bind: sequential ? 1 : 0), \(bind: scenario.hookToken), \(bind: now),
                    \(bind: now))
            """
        ).run()
        return scenario
    }

    public func get(_ id: String, in workspace: WorkspaceID?) async throws -> StoredScenario? {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw("SELECT * FROM scenarios WHERE id = \(bind: id) \(scope)").first().map(
            Self.decode)
    }

    public func byHookToken(_ token: String) async throws -> StoredScenario? {
        try await database.sql.raw("SELECT * FROM scenarios WHERE hook_token = \(bind: token)").first().map(Self.decode)
    }

    public func list(in workspace: WorkspaceID) async throws -> [StoredScenario] {
        try await database.sql.raw(
            "SELECT * FROM scenarios WHERE workspace_id = \(bind: workspace.rawValue) ORDER BY name, id"
        ).all().map(Self.decode)
    }

    public func setEnabled(_ id: String, _ enabled: Bool, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            """
            UPDATE scenarios SET enabled = \(bind: enabled ? 1 : 0), updated_at = \(bind: time.now())
            WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING id
            """
        ).all().isEmpty
    }

    public func delete(_ id: String, in workspace: WorkspaceID) async throws -> Bool {
        try await !database.sql.raw(
            "DELETE FROM scenarios WHERE id = \(bind: id) AND workspace_id = \(bind: workspace.rawValue) RETURNING id"
        ).all().isEmpty
    }

    /// Sets when the scenario runs next (nil: not by itself).
    public func setNextRun(_ id: String, at date: Date?) async throws {
        try await database.sql.raw("UPDATE scenarios SET next_run_at = \(bind: date) WHERE id = \(bind: id)").run()
    }

    /// Enabled scenarios whose next run is due.
    public func due(at date: Date, limit: Int = 100) async throws -> [StoredScenario] {
        try await database.sql.raw(
            """
            SELECT * FROM scenarios WHERE enabled = 1 AND next_run_at IS NOT NULL AND next_run_at <= \(bind: date)
            ORDER BY next_run_at LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    /// Moves the next run of a scenario due at `now` to `to` (later, or nil), on `db`; false when it is not due
    /// any more because another process moved it first.
    public func advance(_ id: String, dueAt now: Date, to: Date?, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw(
            """
            UPDATE scenarios SET next_run_at = \(bind: to)
            WHERE id = \(bind: id) AND next_run_at IS NOT NULL AND next_run_at <= \(bind: now) RETURNING id
            """
        ).all().isEmpty
    }

    // MARK: Runs

    /// Records a queued run, on `db` when given (the transaction that enqueues its job).
    public func createRun(
        _ scenario: StoredScenario, trigger: String, input: String, status: StoredScenarioRun.Status = .queued,
        leaseUntil: Date? = nil, on db: (any SQLDatabase)? = nil
    ) async throws -> StoredScenarioRun {
        let run = StoredScenarioRun(
            id: ids(), scenarioID: scenario.id, workspaceID: scenario.workspaceID, trigger: trigger, status: status,
            input: input, operations: 0, report: nil, response: nil, error: nil, createdAt: time.now(),
            finishedAt: nil)
        try await (db ?? database.sql).raw(
            """
            INSERT INTO scenario_runs (id, scenario_id, workspace_id, trigger_kind, status, input, created_at,
                                       lease_until)
            VALUES (\(bind: run.id), \(bind: scenario.id), \(bind: scenario.workspaceID.rawValue), \(bind: trigger),
                    \(bind: status.rawValue), \(bind: input), \(bind: run.createdAt), \(bind: leaseUntil))
            """
        ).run()
        return run
    }

    public func run(_ id: String, in workspace: WorkspaceID? = nil) async throws -> StoredScenarioRun? {
        let scope: SQLQueryString = workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
        return try await database.sql.raw("SELECT * FROM scenario_runs WHERE id = \(bind: id) \(scope)").first().map(
            Self.decodeRun)
    }

    public func runs(of scenarioID: String, limit: Int = 50) async throws -> [StoredScenarioRun] {
        try await database.sql.raw(
            """
            SELECT * FROM scenario_runs WHERE scenario_id = \(bind: scenarioID)
            ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeRun)
    }

    public func markRunning(_ id: String) async throws {
        try await database.sql.raw(
            "UPDATE scenario_runs SET status = 'running' WHERE id = \(bind: id) AND status = 'queued'"
        ).run()
    }

    /// Records a run's outcome; `keepInput` false clears the trigger bundles (confidential scenarios). The
    /// first time a run ends, `scenario.run.finished` is recorded with it.
    public func finish(
        _ id: String, status: StoredScenarioRun.Status, operations: Int, report: String?, response: String?,
        error: String?, keepInput: Bool, on db: (any SQLDatabase)? = nil
    ) async throws {
        let now = time.now()
        let outbox = PlatformEventOutbox(database: database, ids: ids, time: time)
        let input: SQLQueryString = keepInput ? "" : ", input = NULL"
        let write: @Sendable (any SQLDatabase) async throws -> Void = { db in
            let open = try await db.raw(
                """
                SELECT workspace_id, scenario_id FROM scenario_runs
                WHERE id = \(bind: id) AND status IN ('queued', 'running')
                """
            ).first()
            try await db.raw(
                """
                UPDATE scenario_runs SET status = \(bind: status.rawValue), operations = \(bind: operations),
                    report = \(bind: report), response = \(bind: response), error = \(bind: error),
                    finished_at = \(bind: now), lease_until = NULL \(input)
                WHERE id = \(bind: id)
                """
            ).run()
            guard let open else { return }
            let event = NewPlatformEvent(
                .scenarioRunFinished, subject: id,
                payload: [
                    "run_id": .text(id), "scenario_id": .text(try open.decode(column: "scenario_id")),
                    "status": .text(status.rawValue), "operations": .number(Double(operations)), "error": .text(error),
                ])
            try await outbox.record(
                [event], workspace: WorkspaceID(rawValue: try open.decode(column: "workspace_id")), on: db)
        }
        if let db { try await write(db) } else { try await database.transaction { try await write($0) } }
    }

    /// Extends the hold of the process running a run itself.
    public func renewLease(_ id: String, until: Date) async throws {
        try await database.sql.raw(
            "UPDATE scenario_runs SET lease_until = \(bind: until) WHERE id = \(bind: id) AND lease_until IS NOT NULL"
        ).run()
    }

    /// Runs held by a process whose hold ran out before they finished.
    public func abandonedRuns(at date: Date, limit: Int = 100) async throws -> [StoredScenarioRun] {
        try await database.sql.raw(
            """
            SELECT * FROM scenario_runs WHERE lease_until IS NOT NULL AND lease_until < \(bind: date)
            ORDER BY lease_until LIMIT \(bind: limit)
            """
        ).all().map(Self.decodeRun)
    }

    /// Open runs whose job was given up (dead: its last attempt failed, or its worker died too often), with
    /// the job's last error. Nothing would run them again.
    public func runsOfDeadJobs(limit: Int = 100) async throws -> [(run: StoredScenarioRun, error: String)] {
        try await database.sql.raw(
            """
            SELECT scenario_runs.*, jobs.last_error AS job_error FROM scenario_runs
            JOIN jobs ON jobs.state = 'dead' AND jobs.unique_key = 'scenario-run:' || scenario_runs.id
            WHERE scenario_runs.status IN ('queued', 'running') AND scenario_runs.lease_until IS NULL
            LIMIT \(bind: limit)
            """
        ).all().map { row in
            (try Self.decodeRun(row), try row.decode(column: "job_error", as: String?.self) ?? "its job was given up")
        }
    }

    /// Ends an abandoned run's hold, on `db`; false when another process took it over first (or it finished).
    public func release(_ id: String, abandonedAt date: Date, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw(
            """
            UPDATE scenario_runs SET lease_until = NULL
            WHERE id = \(bind: id) AND lease_until IS NOT NULL AND lease_until < \(bind: date) RETURNING id
            """
        ).all().isEmpty
    }

    /// Whether the scenario has a run queued or running, on `db`.
    public func hasOpenRun(_ scenarioID: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw(
            """
            SELECT 1 AS one FROM scenario_runs WHERE scenario_id = \(bind: scenarioID)
                AND status IN ('queued', 'running') LIMIT 1
            """
        ).first() != nil
    }

    /// The scenario's oldest queued run, on `db`.
    public func oldestQueuedRun(_ scenarioID: String, on db: any SQLDatabase) async throws -> StoredScenarioRun? {
        try await db.raw(
            """
            SELECT * FROM scenario_runs WHERE scenario_id = \(bind: scenarioID) AND status = 'queued'
            ORDER BY created_at, id LIMIT 1
            """
        ).first().map(Self.decodeRun)
    }

    /// The statuses of the scenario's last finished runs, newest first.
    public func lastStatuses(_ scenarioID: String, count: Int) async throws -> [StoredScenarioRun.Status] {
        try await database.sql.raw(
            """
            SELECT status FROM scenario_runs WHERE scenario_id = \(bind: scenarioID) AND finished_at IS NOT NULL
            ORDER BY finished_at DESC, id DESC LIMIT \(bind: count)
            """
        ).all().map { StoredScenarioRun.Status(rawValue: try $0.decode(column: "status")) ?? .error }
    }

    /// Deletes runs finished before `date` (history retention), at most `limit` at a time; returns how many.
    public func pruneRuns(finishedBefore date: Date, limit: Int = 5000) async throws -> Int {
        try await database.sql.raw(
            """
            DELETE FROM scenario_runs WHERE id IN (
                SELECT id FROM scenario_runs WHERE finished_at IS NOT NULL AND finished_at < \(bind: date)
                LIMIT \(bind: limit))
            RETURNING id
            """
        ).all().count
    }

    /// Forgets a delivered webhook response (confidential scenarios).
    public func clearResponse(_ id: String) async throws {
        try await database.sql.raw("UPDATE scenario_runs SET response = NULL WHERE id = \(bind: id)").run()
    }

    static func decode(_ row: any SQLRow) throws -> StoredScenario {
        StoredScenario(
            id: try row.decode(column: "id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            name: try row.decode(column: "name"), blueprint: try row.decode(column: "blueprint"),
            enabled: try row.decode(column: "enabled", as: Int.self) != 0,
            sequential: try row.decode(column: "sequential", as: Int.self) != 0,
            hookToken: try row.decode(column: "hook_token"),
            nextRunAt: try row.decode(column: "next_run_at", as: Date?.self),
            createdAt: try row.decode(column: "created_at"), updatedAt: try row.decode(column: "updated_at"))
    }

    static func decodeRun(_ row: any SQLRow) throws -> StoredScenarioRun {
        StoredScenarioRun(
            id: try row.decode(column: "id"), scenarioID: try row.decode(column: "scenario_id"),
            workspaceID: WorkspaceID(rawValue: try row.decode(column: "workspace_id")),
            trigger: try row.decode(column: "trigger_kind"),
            status: StoredScenarioRun.Status(rawValue: try row.decode(column: "status")) ?? .error,
            input: try row.decode(column: "input", as: String?.self),
            operations: try row.decode(column: "operations", as: Int.self),
            report: try row.decode(column: "report", as: String?.self),
            response: try row.decode(column: "response", as: String?.self),
            error: try row.decode(column: "error", as: String?.self), createdAt: try row.decode(column: "created_at"),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}
