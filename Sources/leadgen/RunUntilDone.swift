import Foundation
import Logging
import Storage
import WebApp

/// Runs the jobs of `queues` in this process until `isDone` says the work is finished, waiting out retry
/// delays (a vendor's rate limit) in between. Used by commands that do their work in the foreground.
func runJobsUntilDone(
    _ services: AppServices, queues: [String], concurrency: Int = 4,
    isDone: @Sendable () async throws -> Bool, progress: @Sendable () async throws -> Void
) async throws {
    var options = JobWorker.Options()
    options.queues = queues
    options.concurrency = concurrency
    let worker = JobWorker(
        queue: services.jobs, handlers: services.pipeline.handlers, options: options, logger: services.logger)
    var lastReport = Date.distantPast
    while true {
        let ran = try await worker.drain()
        if try await isDone() { return }
        if Date().timeIntervalSince(lastReport) >= 5 {
            try await progress()
            lastReport = Date()
        }
        if ran == 0 { try await Task.sleep(for: .seconds(1)) }
    }
}
