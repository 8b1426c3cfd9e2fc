import Foundation
import LeadgenCore
import Storage
import TestSupport
import Testing

@testable import Storage

@Suite struct JobWorkerTests {
    struct Args: Codable { var n: Int }

    actor Recorder {
        var seen: [Int] = []
        func add(_ n: Int) -> Int {
            seen.append(n)
            return seen.count
        }
    }

    struct Recording: JobHandler {
        let recorder: Recorder
        let onCount: @Sendable (Int) -> Void
        func run(_ job: Job) async throws {
            let count = await recorder.add(try job.arguments(Args.self).n)
            onCount(count)
        }
    }

    struct Failing: JobHandler {
        let error: any Error
        func run(_ job: Job) async throws { throw error }
    }

    struct ProviderDown: Error, CustomStringConvertible {
        var description: String { "HTTP 503 from the provider" }
    }

    @Test(arguments: TestDatabases.kinds)
    func drainRunsEachJobWithItsHandlerAndRecordsTheOutcome(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let queue = JobQueue(
                database: database, ids: .uuidV7, time: clock.source, backoff: Backoff { $0.lowerBound })
            let recorder = Recorder()
            let worker = JobWorker(
                queue: queue,
                handlers: [
                    "record": Recording(recorder: recorder, onCount: { _ in }),
                    "down": Failing(error: ProviderDown()),
                    "limited": Failing(error: RetryLater("429: 600 calls per hour", after: 3600)),
                ], logger: TestDatabases.logger)
            for n in 0..<5 { try await queue.enqueue(try NewJob(kind: "record", payload: Args(n: n))) }
            let down = try #require(try await queue.enqueue(try NewJob(kind: "down", payload: Args(n: 0))))
            let limited = try #require(try await queue.enqueue(try NewJob(kind: "limited", payload: Args(n: 0))))
            let unknown = try #require(try await queue.enqueue(try NewJob(kind: "mystery", payload: Args(n: 0))))

            #expect(try await worker.drain() == 8)
            #expect(await recorder.seen.sorted() == [0, 1, 2, 3, 4])
            #expect(try await queue.list(state: .succeeded).count == 5)
            let failed = try #require(try await queue.get(down))
            #expect(failed.state == .pending)
            #expect(failed.lastError == "HTTP 503 from the provider")
            #expect(failed.runAt == clock.now.addingTimeInterval(1))
            #expect(try await queue.get(limited)?.runAt == clock.now.addingTimeInterval(3600))
            #expect(try await queue.get(unknown)?.lastError == "no handler for jobs of kind 'mystery'")
            #expect(try await worker.drain() == 0, "nothing else is due yet")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aCallerCanRunTheJobItJustQueuedOnceOnly(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let queue = JobQueue(database: database, ids: .uuidV7, time: .system)
            let recorder = Recorder()
            let worker = JobWorker(
                queue: queue, handlers: ["record": Recording(recorder: recorder, onCount: { _ in })],
                logger: TestDatabases.logger)
            let id = try #require(try await queue.enqueue(try NewJob(kind: "record", payload: Args(n: 7))))
            #expect(await worker.runNow(id))
            #expect(await !worker.runNow(id), "a job runs once")
            #expect(try await queue.get(id)?.state == .succeeded)
            #expect(try await worker.drain() == 0)
            #expect(await recorder.seen == [7])
        }
    }

    @Test func stopsWhenToldAndFinishesWhatItStarted() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ async throws in
            let queue = JobQueue(database: database, ids: .uuidV7, time: .system)
            let recorder = Recorder()
            let stop = SharedFlag()
            var options = JobWorker.Options()
            options.idleDelay = .milliseconds(10)
            let worker = JobWorker(
                queue: queue,
                handlers: ["record": Recording(recorder: recorder, onCount: { if $0 == 20 { stop.set() } })],
                options: options, logger: TestDatabases.logger)
            for n in 0..<20 { try await queue.enqueue(try NewJob(kind: "record", payload: Args(n: n))) }
            try await worker.runUntil { stop.isSet }
            #expect(await recorder.seen.count == 20)
            #expect(try await queue.list(state: .succeeded).count == 20)
            #expect(try await queue.list(state: .running).isEmpty)
        }
    }
}

@Suite struct JobWakeupTests {
    struct Empty: Codable {}

    struct Signal: JobHandler {
        let done: AsyncStream<String>.Continuation
        func run(_ job: Job) async throws { done.yield(job.id) }
    }

    @Test func aSignalEndsTheWaitAndAnEarlierSignalIsNotLost() async {
        let wakeups = JobWakeups()
        await wakeups.signal()
        let start = ContinuousClock.now
        await wakeups.wait(upTo: .seconds(60))
        Task { await wakeups.signal() }
        await wakeups.wait(upTo: .seconds(60))
        // Either wait timing out would take a minute; on a busy machine the signalling task may start late.
        #expect(ContinuousClock.now - start < .seconds(50))
    }

    /// A worker idling with a one-minute poll picks a job up as soon as another process enqueues it.
    @Test(.enabled(if: TestDatabases.kinds.contains(.postgres)))
    func postgresNotificationsWakeAnIdleWorker() async throws {
        try await TestDatabases.withFresh(.postgres) { database, url async throws in
            let (stream, done) = AsyncStream<String>.makeStream()
            var options = JobWorker.Options()
            options.idleDelay = .seconds(60)
            let wakeups = JobWakeups()
            let worker = JobWorker(
                queue: JobQueue(database: database, ids: .uuidV7, time: .system),
                handlers: ["signal": Signal(done: done)], options: options,
                wakeups: wakeups, logger: TestDatabases.logger)
            let listener = JobNotificationListener(
                postgresURL: try #require(url.postgresURL), wakeups: wakeups, logger: TestDatabases.logger)
            let stop = SharedFlag()
            let background = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await listener.run() }
                    group.addTask { try await worker.runUntil { stop.isSet } }
                    try await group.next()
                    group.cancelAll()
                }
            }
            // Let the worker go idle and the listener subscribe before the job arrives.
            await wakeups.wait(upTo: .milliseconds(500))
            let other = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 1)
            let start = ContinuousClock.now
            let id = try await JobQueue(database: other, ids: .uuidV7, time: .system).enqueue(
                try NewJob(kind: "signal", payload: Empty()))
            var iterator = stream.makeAsyncIterator()
            let ran = await iterator.next()
            let elapsed = ContinuousClock.now - start
            stop.set()
            await wakeups.signal()
            background.cancel()
            _ = try? await background.value
            try await other.close()
            #expect(ran == id)
            #expect(elapsed < .seconds(30), "woken by the notification, not by the one-minute poll: \(elapsed)")
        }
    }
}
