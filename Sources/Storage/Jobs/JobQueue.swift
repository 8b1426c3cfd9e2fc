import Foundation
import LeadgenCore
import SQLKit
import Tracing

/// The durable job queue, in the same database as the data.
///
/// Enqueue inside the caller's transaction, so a job never runs before the data it needs is committed.
/// Workers claim due jobs with a lease (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several workers on several
/// machines never take the same job; SQLite: the single writer serializes claims), renew it with
/// heartbeats, and complete or fail them. A failed job is retried with exponential backoff and jitter until
/// its last attempt, then kept as `dead` with its last error. A job whose worker died comes back when its
/// lease runs out.
public struct JobQueue: Sendable {
    let database: LeadgenDatabase
    let ids: IDGenerator
    let time: TimeSource
    let backoff: Backoff

    public init(
        database: LeadgenDatabase, ids: IDGenerator, time: TimeSource, backoff: Backoff = Backoff()
    ) {
        self.database = database
        self.ids = ids
        self.time = time
        self.backoff = backoff
    }

    /// Enqueues a job on `db`, which may be the session of the caller's transaction. Returns the new job's
    /// id, or nil when a job with the same unique key is already pending or running.
    @discardableResult
    public func enqueue(_ job: NewJob, on db: (any SQLDatabase)? = nil) async throws -> String? {
        let db = db ?? database.sql
        let now = time.now()
        let id = ids()
        let rows = try await db.raw(
            """
            INSERT INTO jobs (id, workspace_id, queue, kind, payload, priority, state, run_at, attempts, max_attempts,
                unique_key, created_at, updated_at, trace_parent)
            VALUES (\(bind: id), \(SQLValue.of(job.workspace?.rawValue)), \(bind: job.queue), \(bind: job.kind),
                \(bind: job.payload), \(bind: job.priority), 'pending', \(bind: job.runAt ?? now), 0,
                \(bind: job.maxAttempts), \(SQLValue.of(job.uniqueKey)), \(bind: now), \(bind: now),
                \(SQLValue.of(Self.currentTraceParent())))
            ON CONFLICT DO NOTHING
            RETURNING id
            """
        ).all()
        guard !rows.isEmpty else { return nil }
        // Delivered when the enqueuing transaction commits, to the workers listening (PostgreSQL only).
        if database.kind == .postgres {
            try await db.raw("SELECT pg_notify(\(bind: JobNotificationListener.channel), \(bind: job.queue))").run()
        }
        return id
    }

    /// Claims up to `limit` due jobs of the given queues for `worker`, highest priority first, oldest first.
    /// Jobs whose lease ran out are first put back (or declared dead after their last attempt).
    public func claim(queues: [String], worker: String, lease: TimeInterval, limit: Int = 1) async throws -> [Job] {
        let now = time.now()
        let lockClause: SQLQueryString = database.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            try await Self.releaseExpiredLeases(db, now: now)
            return try await db.raw(
                """
                UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: worker),
                    locked_until = \(bind: now.addingTimeInterval(lease)), updated_at = \(bind: now)
                WHERE id IN (
                    SELECT id FROM jobs
                    WHERE state = 'pending' AND queue IN (\(binds: queues)) AND run_at <= \(bind: now)
                    ORDER BY priority DESC, run_at, id
                    LIMIT \(bind: limit)
                    \(lockClause)
                )
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).all().map(Self.decode).sorted(by: Self.runsFirst)
        }
    }

    /// Claims one given job if it is still pending (and due): a caller that just enqueued work can run it
    /// itself at once, while the queue keeps it should the caller die.
    public func claim(id: String, worker: String, lease: TimeInterval) async throws -> Job? {
        let now = time.now()
        return try await database.sql.raw(
            """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: worker),
                locked_until = \(bind: now.addingTimeInterval(lease)), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'pending' AND run_at <= \(bind: now)
            RETURNING \(unsafeRaw: Self.columns)
            """
        ).first().map(Self.decode)
    }

    /// Extends the lease of a running job; false when the worker no longer holds it (it expired and the job
    /// went back to the queue, or it was cancelled).
    public func heartbeat(_ id: String, worker: String, lease: TimeInterval) async throws -> Bool {
        let now = time.now()
        return try await !database.sql.raw(
            """
            UPDATE jobs SET locked_until = \(bind: now.addingTimeInterval(lease)), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """
        ).all().isEmpty
    }

    /// Marks a job the worker holds as done; false when it no longer held it.
    @discardableResult
    public func complete(_ id: String, worker: String) async throws -> Bool {
        let now = time.now()
        return try await !database.sql.raw(
            """
            UPDATE jobs SET state = 'succeeded', locked_by = NULL, locked_until = NULL, finished_at = \(bind: now),
                updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """
        ).all().isEmpty
    }

    /// Marks several jobs the worker holds as done in one statement; returns how many it still held.
    @discardableResult
    public func complete(_ ids: [String], worker: String) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let now = time.now()
        return try await database.sql.raw(
            """
            UPDATE jobs SET state = 'succeeded', locked_by = NULL, locked_until = NULL, finished_at = \(bind: now),
                updated_at = \(bind: now)
            WHERE id IN (\(binds: ids)) AND state = 'running' AND locked_by = \(bind: worker)
            RETURNING id
            """
        ).all().count
    }

    /// Records a failed attempt: the job is retried after the backoff (and not before `retryAfter`), or is
    /// dead when that was its last attempt. Returns the job as it now is.
    @discardableResult
    public func fail(_ id: String, worker: String, error: String, retryAfter: TimeInterval? = nil) async throws -> Job?
    {
        let now = time.now()
        let backoff = self.backoff
        return try await database.transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT attempts, max_attempts FROM jobs WHERE id = \(bind: id) AND state = 'running' AND locked_by = \(bind: worker)"
                ).first()
            else { return nil }
            let attempts = try row.decode(column: "attempts", as: Int.self)
            let isLast = attempts >= (try row.decode(column: "max_attempts", as: Int.self))
            let runAt = now.addingTimeInterval(backoff.delay(afterAttempt: attempts, retryAfter: retryAfter))
            return try await db.raw(
                """
                UPDATE jobs SET state = \(bind: isLast ? JobState.dead.rawValue : JobState.pending.rawValue),
                    run_at = \(bind: isLast ? now : runAt), last_error = \(bind: String(error.prefix(4000))),
                    locked_by = NULL, locked_until = NULL, updated_at = \(bind: now),
                    finished_at = \(isLast ? SQLBind(now) : SQLLiteral.null)
                WHERE id = \(bind: id)
                RETURNING \(unsafeRaw: Self.columns)
                """
            ).first().map(Self.decode)
        }
    }

    /// Puts a dead or cancelled job back in the queue with a fresh set of attempts. With a workspace, only
    /// that workspace's jobs are touched.
    public func retry(_ id: String, in workspace: WorkspaceID? = nil) async throws -> Bool {
        let now = time.now()
        return try await !database.sql.raw(
            """
            UPDATE jobs SET state = 'pending', attempts = 0, worker_deaths = 0, run_at = \(bind: now), finished_at = NULL,
                updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state IN ('dead', 'cancelled') \(Self.scope(workspace))
            RETURNING id
            """
        ).all().isEmpty
    }

    /// Cancels a job that has not started; false when it is running or finished.
    public func cancel(_ id: String, in workspace: WorkspaceID? = nil) async throws -> Bool {
        let now = time.now()
        return try await !database.sql.raw(
            """
            UPDATE jobs SET state = 'cancelled', finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'pending' \(Self.scope(workspace))
            RETURNING id
            """
        ).all().isEmpty
    }

    /// How many jobs wait, run and lie dead, by queue and kind (the `/metrics` gauge `leadgen_jobs`).
    public func depth() async throws -> [(queue: String, kind: String, state: String, count: Int)] {
        try await database.sql.raw(
            """
            SELECT queue, kind, state, COUNT(*) AS n FROM jobs WHERE state IN ('pending', 'running', 'dead')
            GROUP BY queue, kind, state ORDER BY queue, kind, state
            """
        ).all().map {
            (
                try $0.decode(column: "queue", as: String.self), try $0.decode(column: "kind", as: String.self),
                try $0.decode(column: "state", as: String.self), try $0.decode(column: "n", as: Int.self)
            )
        }
    }

    public func get(_ id: String, in workspace: WorkspaceID? = nil) async throws -> Job? {
        try await database.sql.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id) \(Self.scope(workspace))"
        ).first().map(Self.decode)
    }

    /// Jobs, newest first, optionally of one state and one workspace, after a cursor (a job id).
    public func list(
        state: JobState? = nil, in workspace: WorkspaceID? = nil, before cursor: String? = nil, limit: Int = 100
    ) async throws -> [Job] {
        let stateFilter: SQLQueryString = state.map { "AND state = \(bind: $0.rawValue)" } ?? ""
        let cursorFilter: SQLQueryString = cursor.map { "AND id < \(bind: $0)" } ?? ""
        return try await database.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE 1 = 1 \(stateFilter) \(Self.scope(workspace)) \(cursorFilter)
            ORDER BY id DESC LIMIT \(bind: limit)
            """
        ).all().map(Self.decode)
    }

    private static func scope(_ workspace: WorkspaceID?) -> SQLQueryString {
        workspace.map { "AND workspace_id = \(bind: $0.rawValue)" } ?? ""
    }

    /// The claim order (RETURNING keeps none): higher priority first, then earlier run-at, then older id.
    static func runsFirst(_ a: Job, _ b: Job) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.runAt != b.runAt { return a.runAt < b.runAt }
        return a.id < b.id
    }

    /// How many times a job's worker may die while running it before the job is given up: a job that kills
    /// its process (a crash in its handler) would otherwise take down every worker that claims it, in a loop.
    public static let maxWorkerDeaths = 3

    /// Puts running jobs whose lease ran out back in the queue, or declares them dead after their last attempt
    /// or their worker's `maxWorkerDeaths`th death. (Each right-hand side reads the row as it was.)
    static func releaseExpiredLeases(_ db: any SQLDatabase, now: Date) async throws {
        let deaths = maxWorkerDeaths
        try await db.raw(
            """
            UPDATE jobs SET
                worker_deaths = worker_deaths + 1,
                state = CASE WHEN attempts >= max_attempts OR worker_deaths + 1 >= \(bind: deaths) THEN 'dead'
                    ELSE 'pending' END,
                finished_at = CASE WHEN attempts >= max_attempts OR worker_deaths + 1 >= \(bind: deaths)
                    THEN \(bind: now) ELSE NULL END,
                last_error = CASE WHEN worker_deaths + 1 >= \(bind: deaths)
                    THEN \(bind: "worker died while running it (\(deaths) times)")
                    ELSE 'the worker stopped answering (lease expired)' END,
                locked_by = NULL, locked_until = NULL, updated_at = \(bind: now)
            WHERE state = 'running' AND locked_until < \(bind: now)
            """
        ).run()
    }

    static let columns =
        "id, workspace_id, queue, kind, payload, priority, state, run_at, attempts, max_attempts, unique_key, locked_by, locked_until, last_error, created_at, finished_at, trace_parent"

    /// The `traceparent` of the span the caller runs in, when tracing is on (W3C Trace Context).
    static func currentTraceParent() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryInjector())
        return carrier["traceparent"]
    }

    static func decode(_ row: any SQLRow) throws -> Job {
        Job(
            id: try row.decode(column: "id", as: String.self),
            workspaceID: try row.decode(column: "workspace_id", as: String?.self).map(WorkspaceID.init(rawValue:)),
            queue: try row.decode(column: "queue", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            priority: try row.decode(column: "priority", as: Int.self),
            state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .dead,
            runAt: try row.decode(column: "run_at", as: Date.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            uniqueKey: try row.decode(column: "unique_key", as: String?.self),
            lockedBy: try row.decode(column: "locked_by", as: String?.self),
            lockedUntil: try row.decode(column: "locked_until", as: Date?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Date.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self),
            traceParent: try row.decode(column: "trace_parent", as: String?.self))
    }
}

/// Writes and reads trace-context fields in a dictionary: how a job carries its trace from enqueue to run.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
