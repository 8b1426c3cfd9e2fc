import Foundation
import LeadgenCore
import Logging
import SQLKit
import ServiceLifecycle

/// Recurring jobs: a schedule names a cron expression and the job to enqueue when it comes due.
///
/// Each due run is enqueued once, whatever the number of processes ticking: the schedule row is locked
/// (PostgreSQL: `FOR UPDATE SKIP LOCKED`) and the job's unique key names the run.
public struct JobScheduler: Sendable {
    let database: LeadgenDatabase
    let queue: JobQueue
    let time: TimeSource

    public init(database: LeadgenDatabase, queue: JobQueue, time: TimeSource) {
        self.database = database
        self.queue = queue
        self.time = time
    }

    /// Creates or replaces the schedule called `name`.
    public func save(name: String, cron: CronExpression, timeZone: TimeZone = TimeZone(identifier: "UTC")!, job: NewJob)
        async throws
    {
        let now = time.now()
        guard let next = cron.next(after: now, in: timeZone) else {
            throw CronExpression.Problem(description: "'\(cron)' never comes due")
        }
        try await database.sql.raw(
            """
            INSERT INTO job_schedules (name, cron, time_zone, queue, kind, payload, next_run_at, created_at, updated_at)
            VALUES (\(bind: name), \(bind: cron.description), \(bind: timeZone.identifier), \(bind: job.queue),
                \(bind: job.kind), \(bind: job.payload), \(bind: next), \(bind: now), \(bind: now))
            ON CONFLICT (name) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone,
                queue = excluded.queue, kind = excluded.kind, payload = excluded.payload,
                next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
            """
        ).run()
    }

    public func delete(name: String) async throws {
        try await database.sql.delete(from: "job_schedules").where("name", .equal, name).run()
    }

    /// Enqueues the job of every schedule that is due, once per due run, and moves each schedule to its next
    /// run. A schedule that missed several runs (every process was down) runs once, not once per missed run.
    /// Returns the names of the schedules enqueued.
    @discardableResult
    public func enqueueDue() async throws -> [String] {
        let now = time.now()
        let lock: SQLQueryString = database.kind == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let queue = self.queue
        return try await database.transaction { db in
            let due = try await db.raw(
                """
                SELECT name, cron, time_zone, queue, kind, payload, next_run_at FROM job_schedules
                WHERE next_run_at <= \(bind: now) ORDER BY next_run_at \(lock)
                """
            ).all()
            var enqueued: [String] = []
            for row in due {
                let name = try row.decode(column: "name", as: String.self)
                let runAt = try row.decode(column: "next_run_at", as: Date.self)
                let cron = try CronExpression(parsing: try row.decode(column: "cron", as: String.self))
                let zone = TimeZone(identifier: try row.decode(column: "time_zone", as: String.self)) ?? .gmt
                let job = NewJob(
                    kind: try row.decode(column: "kind", as: String.self),
                    json: try row.decode(column: "payload", as: String.self),
                    queue: try row.decode(column: "queue", as: String.self),
                    uniqueKey: "schedule:\(name):\(Int(runAt.timeIntervalSince1970))")
                if try await queue.enqueue(job, on: db) != nil { enqueued.append(name) }
                // A schedule that can never come due again is kept but parked far in the future.
                let next = cron.next(after: now, in: zone) ?? now.addingTimeInterval(100 * 365 * 24 * 3600)
                try await db.update("job_schedules").set("next_run_at", to: SQLBind(next))
                    .set("updated_at", to: SQLBind(now)).where("name", .equal, name).run()
            }
            return enqueued
        }
    }
}

/// Ticks a `JobScheduler` in the background of `leadgen serve` and `leadgen worker`.
public struct JobScheduleRunner: Service {
    let scheduler: JobScheduler
    let interval: Duration
    let logger: Logger

    public init(scheduler: JobScheduler, interval: Duration = .seconds(15), logger: Logger) {
        self.scheduler = scheduler
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let names = try await scheduler.enqueueDue()
                    if !names.isEmpty { logger.info("scheduled jobs enqueued", metadata: ["schedules": "\(names)"]) }
                } catch {
                    logger.warning(
                        "could not enqueue scheduled jobs", metadata: ["error": "\(String(reflecting: error))"])
                }
                // Graceful shutdown cancels the sleep; that ends the loop, it is no error.
                try? await Task.sleep(for: interval)
            }
        }
    }
}
