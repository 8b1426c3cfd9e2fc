import Foundation
import LeadgenCore
import TestSupport
import Testing

@testable import Storage

/// What `/metrics` says of the queue: the jobs this process ran by kind and outcome, and the queue's depth.
@Suite struct JobMetricsTests {
    struct Args: Codable { var n: Int }
    struct Succeeding: JobHandler { func run(_ job: Job) async throws {} }
    struct Failing: JobHandler {
        struct Down: Error {}
        func run(_ job: Job) async throws { throw Down() }
    }

    @Test(arguments: TestDatabases.kinds)
    func runsAreCountedByKindAndOutcomeAndTheQueueByState(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ in
            let queue = JobQueue(database: database, ids: .uuidV7, time: .system)
            let metrics = JobMetrics()
            let worker = JobWorker(
                queue: queue, handlers: ["ok": Succeeding(), "down": Failing()], metrics: metrics,
                logger: TestDatabases.logger)
            for n in 0..<3 { try await queue.enqueue(try NewJob(kind: "ok", payload: Args(n: n))) }
            try await queue.enqueue(try NewJob(kind: "down", payload: Args(n: 0), maxAttempts: 1))
            let depthBefore = await QueueDepthMetrics(queue: queue).prometheusText()
            #expect(depthBefore.contains("leadgen_jobs{queue=\"default\",kind=\"ok\",state=\"pending\"} 3\n"))
            #expect(depthBefore.contains("leadgen_jobs{queue=\"default\",kind=\"down\",state=\"pending\"} 1\n"))

            #expect(try await worker.drain() == 4)
            let runs = metrics.prometheusText()
            #expect(runs.contains("leadgen_jobs_run_total{kind=\"ok\",outcome=\"succeeded\"} 3\n"))
            #expect(runs.contains("leadgen_jobs_run_total{kind=\"down\",outcome=\"failed\"} 1\n"))
            #expect(runs.contains("leadgen_job_run_seconds_sum{kind=\"ok\",outcome=\"succeeded\"} "))
            #expect(runs.contains("leadgen_job_run_seconds_bucket{kind=\"ok\",outcome=\"succeeded\",le=\"+Inf\"} 3\n"))
            #expect(runs.contains("# TYPE leadgen_job_run_seconds histogram\n"))
            let depthAfter = await QueueDepthMetrics(queue: queue).prometheusText()
            #expect(!depthAfter.contains("state=\"pending\""))
            #expect(depthAfter.contains("leadgen_jobs{queue=\"default\",kind=\"down\",state=\"dead\"} 1\n"))
        }
    }
}
