import Foundation
import LeadgenCore
import SQLKit
import Storage
import TestSupport
import Testing

@Suite struct JobQueueTests {
    struct Args: Codable, Equatable { var lead: String }

    func queue(_ database: LeadgenDatabase, clock: ManualClock) -> JobQueue {
        JobQueue(
            database: database, ids: SequentialIDs().generator, time: clock.source, backoff: Backoff { $0.lowerBound })
    }

    func job(
        _ kind: String = "enrich", lead: String = "l1", priority: Int = 0, runAt: Date? = nil, key: String? = nil,
        attempts: Int = 20
    ) throws -> NewJob {
        try NewJob(
            kind: kind, payload: Args(lead: lead), priority: priority, runAt: runAt, maxAttempts: attempts,
            uniqueKey: key)
    }

    @Test(arguments: TestDatabases.kinds)
    func enqueueIsPartOfTheCallersTransaction(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await database.transaction { db in
                    try await jobs.enqueue(try job(), on: db)
                    throw Abort()
                }
            }
            #expect(try await jobs.list().isEmpty)
            let id = try await database.transaction { db in try await jobs.enqueue(try job(), on: db) }
            let storedID = try #require(id)
            let stored = try #require(try await jobs.get(storedID))
            #expect(stored.state == .pending)
            #expect(try stored.arguments(Args.self) == Args(lead: "l1"))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func uniqueKeysAllowOneActiveJob(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let first = try await jobs.enqueue(try job(key: "sync:l1"))
            #expect(first != nil)
            #expect(try await jobs.enqueue(try job(key: "sync:l1")) == nil)
            let claimed = try await jobs.claim(queues: ["default"], worker: "w1", lease: 30)
            #expect(try await jobs.enqueue(try job(key: "sync:l1")) == nil, "running counts as active")
            #expect(try await jobs.complete(claimed[0].id, worker: "w1"))
            #expect(try await jobs.enqueue(try job(key: "sync:l1")) != nil, "a finished job frees its key")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func claimsDueJobsByPriorityThenAge(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let low = try await jobs.enqueue(try job(lead: "low"))
            clock.advance(by: 1)
            let high = try await jobs.enqueue(try job(lead: "high", priority: 5))
            let later = try await jobs.enqueue(
                try job(lead: "later", priority: 9, runAt: clock.now.addingTimeInterval(60)))
            let claimed = try await jobs.claim(queues: ["default"], worker: "w", lease: 30, limit: 10)
            #expect(claimed.map(\.id) == [high, low].compactMap { $0 })
            #expect(claimed.allSatisfy { $0.state == .running && $0.attempts == 1 && $0.lockedBy == "w" })
            #expect(try await jobs.claim(queues: ["default"], worker: "w", lease: 30).isEmpty)
            #expect(try await jobs.claim(queues: ["other"], worker: "w", lease: 30).isEmpty)
            clock.advance(by: 60)
            #expect(
                try await jobs.claim(queues: ["default"], worker: "w", lease: 30).map(\.id) == [later].compactMap { $0 }
            )
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func concurrentWorkersNeverTakeTheSameJob(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, url async throws in
            let clock = ManualClock()
            let producer = queue(database, clock: clock)
            for n in 0..<200 { try await producer.enqueue(try job(lead: "l\(n)")) }
            // Each worker has its own connection pool, as separate processes would.
            let claimedByWorker = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        let own = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 1)
                        let jobs = JobQueue(database: own, ids: .uuidV7, time: clock.source)
                        var ids: [String] = []
                        do {
                            while true {
                                let batch = try await jobs.claim(
                                    queues: ["default"], worker: "w\(worker)", lease: 60, limit: 7)
                                if batch.isEmpty { break }
                                for job in batch { #expect(try await jobs.complete(job.id, worker: "w\(worker)")) }
                                ids += batch.map(\.id)
                            }
                            try await own.close()
                        } catch {
                            try? await own.close()
                            throw error
                        }
                        return ids
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let all = claimedByWorker.flatMap { $0 }
            #expect(all.count == 200)
            #expect(Set(all).count == 200)
            #expect(try await producer.list(state: .succeeded, limit: 500).count == 200)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aCrashedWorkersJobComesBackWhenItsLeaseRunsOut(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let id = try #require(try await jobs.enqueue(try job()))
            _ = try await jobs.claim(queues: ["default"], worker: "crashed", lease: 30)
            clock.advance(by: 20)
            #expect(try await jobs.claim(queues: ["default"], worker: "w2", lease: 30).isEmpty)
            clock.advance(by: 11)
            let reclaimed = try await jobs.claim(queues: ["default"], worker: "w2", lease: 30)
            #expect(reclaimed.map(\.id) == [id])
            #expect(reclaimed.first?.attempts == 2)
            #expect(try await jobs.complete(id, worker: "crashed") == false, "the old worker lost its lease")
            #expect(try await jobs.heartbeat(id, worker: "w2", lease: 30))
            #expect(try await jobs.complete(id, worker: "w2"))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func failuresBackOffThenDieAndCanBeRetried(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let id = try #require(try await jobs.enqueue(try job(attempts: 3)))
            for attempt in 1...3 {
                let claimed = try await jobs.claim(queues: ["default"], worker: "w", lease: 30)
                #expect(claimed.map(\.attempts) == [attempt])
                let failed = try #require(try await jobs.fail(id, worker: "w", error: "HTTP 503 from provider"))
                if attempt < 3 {
                    #expect(failed.state == .pending)
                    #expect(failed.runAt == clock.now.addingTimeInterval(pow(Double(attempt), 4)))
                    #expect(
                        try await jobs.claim(queues: ["default"], worker: "w", lease: 30).isEmpty,
                        "not before its backoff")
                    clock.advance(by: pow(Double(attempt), 4))
                } else {
                    #expect(failed.state == .dead)
                    #expect(failed.lastError == "HTTP 503 from provider")
                }
            }
            #expect(try await jobs.list(state: .dead).map(\.id) == [id])
            #expect(try await jobs.retry(id))
            let retried = try await jobs.claim(queues: ["default"], worker: "w", lease: 30)
            #expect(retried.first?.attempts == 1)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func retryAfterFromAProviderIsHonoured(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let id = try #require(try await jobs.enqueue(try job()))
            _ = try await jobs.claim(queues: ["default"], worker: "w", lease: 30)
            let failed = try await jobs.fail(id, worker: "w", error: "429", retryAfter: 120)
            #expect(failed?.runAt == clock.now.addingTimeInterval(120))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func onlyPendingJobsCanBeCancelled(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock()
            let jobs = queue(database, clock: clock)
            let pending = try #require(try await jobs.enqueue(try job(lead: "a")))
            #expect(try await jobs.cancel(pending))
            #expect(try await jobs.get(pending)?.state == .cancelled)
            let running = try #require(try await jobs.enqueue(try job(lead: "b")))
            _ = try await jobs.claim(queues: ["default"], worker: "w", lease: 30)
            #expect(try await jobs.cancel(running) == false)
        }
    }
}

@Suite struct BackoffTests {
    @Test func growsAsTheFourthPowerWithBoundedJitter() {
        let lowest = Backoff { $0.lowerBound }
        let highest = Backoff { $0.upperBound }
        #expect(lowest.delay(afterAttempt: 1) == 1)
        #expect(lowest.delay(afterAttempt: 3) == 81)
        #expect(abs(highest.delay(afterAttempt: 3) - 89.1) < 1e-9)
        #expect(lowest.delay(afterAttempt: 2, retryAfter: 300) == 300)
    }
}
