import Foundation
import LeadgenCore
import Storage
import TestSupport
import Testing

/// A job that kills its process must not kill every worker that claims it, forever: after its worker died
/// `JobQueue.maxWorkerDeaths` times it is dead, with the reason, and the next worker starts clean.
@Suite(.serialized) struct CrashLoopTests {
    static let binary = BuiltProducts.path("CrashingWorker")

    struct Run {
        var crashed: Bool
        var output: String
    }

    /// Runs the crashing worker once against `url` and says how it ended.
    static func runWorker(_ url: DatabaseURL) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [text(url)]
        // A trap should end the process at once, not wait for a symbolicated backtrace.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let ended = AsyncStream<Process.TerminationReason> { continuation in
            process.terminationHandler = {
                continuation.yield($0.terminationReason)
                continuation.finish()
            }
        }
        try process.run()
        var reason = Process.TerminationReason.exit
        for await value in ended { reason = value }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Run(crashed: reason == .uncaughtSignal, output: printed)
    }

    static func text(_ url: DatabaseURL) -> String {
        switch url {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let text): text
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aJobThatKillsItsWorkerDiesAfterThreeDeathsAndStopsTheLoop(kind: SQLDialectKind) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the tests first")
        try await TestDatabases.withFresh(kind) { database, url in
            let jobs = JobQueue(database: database, ids: .uuidV7, time: .system)
            let id = try #require(try await jobs.enqueue(try NewJob(kind: "crash", payload: [String: String]())))
            for death in 1...JobQueue.maxWorkerDeaths {
                let run = try await Self.runWorker(url)
                #expect(run.crashed, "worker \(death) was killed by the job")
                // The worker's lease is one second: after it, the next worker may take the job back.
                try await Task.sleep(for: .milliseconds(1300))
            }
            let survivor = try await Self.runWorker(url)
            #expect(!survivor.crashed, "the fourth worker is not killed")
            #expect(survivor.output.contains("ran 0"), "\(survivor.output)")
            let job = try #require(try await jobs.get(id))
            #expect(job.state == .dead)
            #expect(job.lastError == "worker died while running it (3 times)")
            #expect(job.attempts == JobQueue.maxWorkerDeaths, "each claim counted as an attempt")

            // A person who fixed the cause can run it again, with a fresh count.
            #expect(try await jobs.retry(id))
            let again = try #require(try await jobs.get(id))
            #expect(again.state == .pending)
            #expect(again.attempts == 0)
        }
    }
}
