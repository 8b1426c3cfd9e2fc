import Foundation
import LeadgenCore
import ServiceLifecycle
import TestSupport
import Testing

@testable import Storage

/// SIGTERM to a worker: jobs in flight get the shutdown timeout to finish; one that takes longer is cancelled
/// and left to run again, and the worker stops either way.
@Suite(.timeLimit(.minutes(2))) struct JobWorkerShutdownTests {
    struct Args: Codable { var seconds: Int }

    /// Sleeps as long as the job says, and counts the runs that got to the end.
    struct Sleeping: JobHandler {
        let finished: Counter
        func run(_ job: Job) async throws {
            try await Task.sleep(for: .seconds(try job.arguments(Args.self).seconds))
            await finished.add()
        }
    }

    actor Counter {
        var value = 0
        func add() { value += 1 }
    }

    func stopWhileRunning(seconds: Int, timeout: Duration) async throws -> (Job, Int) {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            let queue = JobQueue(database: database, ids: .uuidV7, time: .system)
            let finished = Counter()
            var options = JobWorker.Options()
            options.idleDelay = .milliseconds(50)
            let worker = JobWorker(
                queue: queue, handlers: ["sleep": Sleeping(finished: finished)], options: options,
                logger: TestDatabases.logger)
            let id = try #require(try await queue.enqueue(try NewJob(kind: "sleep", payload: Args(seconds: seconds))))
            var configuration = ServiceGroupConfiguration(services: [worker], logger: TestDatabases.logger)
            configuration.maximumGracefulShutdownDuration = timeout
            configuration.maximumCancellationDuration = .seconds(30)
            let group = ServiceGroup(configuration: configuration)
            async let running: Void = group.run()
            while try await queue.get(id)?.state != .running { try await Task.sleep(for: .milliseconds(20)) }
            await group.triggerGracefulShutdown()
            try await running
            return (try #require(try await queue.get(id)), await finished.value)
        }
    }

    @Test func aJobThatFinishesWithinTheTimeoutCompletes() async throws {
        let (job, finished) = try await stopWhileRunning(seconds: 1, timeout: .seconds(30))
        #expect(finished == 1)
        #expect(job.state == .succeeded)
    }

    @Test func aJobThatOutlastsTheTimeoutIsCancelledAndLeftToRunAgain() async throws {
        let (job, finished) = try await stopWhileRunning(seconds: 600, timeout: .milliseconds(300))
        #expect(finished == 0)
        #expect(job.state != .succeeded && job.state != .dead)
        #expect(job.attempts == 1)
    }
}
