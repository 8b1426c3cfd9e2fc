import Foundation
import LeadgenCore
import Storage
import TestSupport
import Testing

@Suite struct JobSchedulerTests {
    struct Empty: Codable {}

    static let start = try! Date("2026-11-27T10:02:00Z", strategy: .iso8601)

    @Test(arguments: TestDatabases.kinds)
    func enqueuesEachDueRunOnceAndSkipsMissedRuns(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let clock = ManualClock(Self.start)
            let queue = JobQueue(database: database, ids: .uuidV7, time: clock.source)
            let scheduler = JobScheduler(database: database, queue: queue, time: clock.source)
            try await scheduler.save(
                name: "resync", cron: try CronExpression(parsing: "*/5 * * * *"),
                job: try NewJob(kind: "resync", payload: Empty()))
            #expect(try await scheduler.enqueueDue() == [])
            clock.advance(by: 3 * 60)
            #expect(try await scheduler.enqueueDue() == ["resync"])
            #expect(try await scheduler.enqueueDue() == [], "the 10:05 run is enqueued once")
            clock.advance(by: 55 * 60)
            #expect(try await scheduler.enqueueDue() == ["resync"], "missed runs run once")
            let jobs = try await queue.list()
            #expect(jobs.map(\.kind) == ["resync", "resync"])
            #expect(Set(jobs.compactMap(\.uniqueKey)).count == 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func processesTickingTogetherEnqueueARunOnce(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, url async throws in
            let clock = ManualClock(Self.start)
            let setup = JobScheduler(
                database: database, queue: JobQueue(database: database, ids: .uuidV7, time: clock.source),
                time: clock.source)
            try await setup.save(
                name: "nightly", cron: try CronExpression(parsing: "0 3 * * *"),
                job: try NewJob(kind: "nightly", payload: Empty()))
            clock.advance(by: 24 * 3600)
            let enqueued = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let own = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 1)
                        let scheduler = JobScheduler(
                            database: own, queue: JobQueue(database: own, ids: .uuidV7, time: clock.source),
                            time: clock.source)
                        do {
                            let names = try await scheduler.enqueueDue()
                            try await own.close()
                            return names
                        } catch {
                            try? await own.close()
                            throw error
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(enqueued == ["nightly"])
            #expect(try await JobQueue(database: database, ids: .uuidV7, time: .system).list().count == 1)
        }
    }
}
