import Foundation
import LeadgenCore
import Logging
import Storage

/// Measures the job queue: enqueues N no-op jobs, then lets W workers (each with its own connection pool,
/// as separate processes would have) claim, run and complete them until none is left.
///
///     queue-bench DATABASE_URL [JOBS] [WORKERS]
@main
struct QueueBench {
    struct NoOp: JobHandler {
        func run(_ job: Job) async throws {}
    }

    struct Empty: Codable {}

    static func main() async throws {
        try await measure(CommandLine.arguments)
    }

    nonisolated static func measure(_ arguments: [String]) async throws {
        guard arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: queue-bench DATABASE_URL [JOBS] [WORKERS]\n".utf8))
            exit(2)
        }
        let url = try DatabaseURL(parsing: arguments[1])
        let jobs = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        let workers = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
        let logger = {
            var logger = Logger(label: "queue-bench")
            logger.logLevel = .error
            return logger
        }()

        let (ids, time) = (IDGenerator.uuidV7, TimeSource.system)
        let database = try await LeadgenDatabase.open(url, logger: logger)
        try await Migrator(database: database, time: time, logger: logger).migrate()
        let queue = JobQueue(database: database, ids: ids, time: time)
        let enqueueStart = ContinuousClock.now
        for chunk in stride(from: 0, to: jobs, by: 1000) {
            try await database.transaction { db in
                for _ in chunk..<min(chunk + 1000, jobs) {
                    try await queue.enqueue(try NewJob(kind: "noop", payload: Empty()), on: db)
                }
            }
        }
        let enqueueSeconds = Self.seconds(since: enqueueStart)

        let runStart = ContinuousClock.now
        let processed = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    let own = try await LeadgenDatabase.open(url, logger: logger, maxConnections: 2)
                    var options = JobWorker.Options()
                    options.concurrency = 32
                    let runner = JobWorker(
                        queue: JobQueue(database: own, ids: ids, time: time), handlers: ["noop": NoOp()],
                        options: options,
                        name: "bench-\(worker)",
                        logger: logger)
                    let count = try await runner.drain()
                    try await own.close()
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let runSeconds = Self.seconds(since: runStart)
        try await database.close()
        print(
            "\(url.kind) workers=\(workers) jobs=\(processed): enqueue \(Int(Double(jobs) / enqueueSeconds)) jobs/s, "
                + "claim+run+complete \(Int(Double(processed) / runSeconds)) jobs/s")
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension DatabaseURL {
    var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }
}
