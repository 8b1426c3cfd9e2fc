import App
import Foundation
import Logging
import Storage

/// Runs the jobs of `queues` in this process until `isDone` says the work is finished, waiting out retry
/// delays (a vendor's rate limit) in between. Used by commands that do their work in the foreground.
func runJobsUntilDone(
    _ root: AppRoot, queues: [String], concurrency: Int = 4,
    isDone: @Sendable () async throws -> Bool, progress: @Sendable () async throws -> Void
) async throws {
    var options = JobWorker.Options()
    options.queues = queues
    options.concurrency = concurrency
    let worker = JobWorker(
        queue: root.stores.jobs, handlers: root.handlers, options: options, logger: root.logger)
    // Elapsed time for progress lines only: a monotonic clock, not the wall clock.
    var lastReport: ContinuousClock.Instant?
    while true {
        let ran = try await worker.drain()
        if try await isDone() { return }
        if lastReport.map({ $0.duration(to: .now) >= .seconds(5) }) ?? true {
            try await progress()
            lastReport = .now
        }
        if ran == 0 { try await Task.sleep(for: .seconds(1)) }
    }
}
