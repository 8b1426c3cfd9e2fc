import Foundation
import LeadgenCore
import SQLKit
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `leadgen leads import` mid-way with SIGKILL, runs it again, and checks that every person is there
/// exactly once: committed batches are skipped by their fingerprints, the batch in flight was rolled back.
@Suite(.serialized) struct ImportCrashTests {
    static let binary = BuiltProducts.path("leadgen")
    static let people = 16_000

    /// A CSV of `people` people in which every tenth row repeats an earlier person, written differently.
    static func makeCSV() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID()).csv").path
        var text = "Email,First Name,Last Name,Company Name,Website\n"
        var written = 0
        for row in 0..<(people + people / 9) {
            if row % 10 == 9 {
                let n = row / 2
                text +=
                    "  PERSON\(n)@COMPANY\(n % 50).EXAMPLE ,PERSON,NUMBER \(n),Company \(n % 50),www.company\(n % 50).example\n"
            } else {
                text +=
                    "person\(written)@company\(written % 50).example,Person,Number \(written),Company \(written % 50),company\(written % 50).example\n"
                written += 1
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func runImport(_ csv: String, _ url: DatabaseURL, onStart: (Process) async throws -> Void = { _ in }) async throws
        -> Int32
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["leads", "import", csv, "--workspace", "crash"]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["DATABASE_URL": "\(Self.databaseURLText(url))", "LEADGEN_LOG_LEVEL": "error"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let exited = AsyncStream<Int32> { continuation in
            process.terminationHandler = {
                continuation.yield($0.terminationStatus); continuation.finish()
            }
        }
        try process.run()
        try await onStart(process)
        for await status in exited { return status }
        return -1
    }

    static func databaseURLText(_ url: DatabaseURL) -> String {
        switch url {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let text): text
        }
    }

    static func count(_ database: LeadgenDatabase, _ sql: SQLQueryString) async throws -> Int {
        try await database.sql.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test(arguments: TestDatabases.kinds)
    func killedImportResumesWithoutLossOrDuplicates(kind: SQLDialectKind) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "build the leadgen executable first: swift build --build-tests")
        let csv = try Self.makeCSV()
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let (url, cleanup) = try await TestDatabases.makeEmpty(kind)
        defer { Task { try await cleanup() } }

        var leadsAtKill = 0
        let killedStatus = try await runImport(csv, url) { process in
            // Wait for the first committed batch, then kill without warning.
            let database = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 1)
            defer { Task { try await database.close() } }
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, process.isRunning {
                if let n = try? await Self.count(database, "SELECT COUNT(*) AS n FROM leads"), n > 0 {
                    leadsAtKill = n
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(process.processIdentifier, SIGKILL)
        }
        #expect(killedStatus != 0, "the import was killed, not finished")
        #expect(leadsAtKill > 0 && leadsAtKill < Self.people, "killed mid-way: \(leadsAtKill) of \(Self.people)")

        #expect(try await runImport(csv, url) == 0)

        let database = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 1)
        do {
            #expect(try await Self.count(database, "SELECT COUNT(*) AS n FROM leads") == Self.people)
            let duplicated = try await Self.count(
                database,
                "SELECT COUNT(*) AS n FROM (SELECT email FROM leads GROUP BY email HAVING COUNT(*) > 1) AS d")
            #expect(duplicated == 0)
            let imported = try await Self.count(
                database,
                "SELECT COUNT(*) AS n FROM (SELECT lead_id FROM lead_events WHERE kind = 'imported' GROUP BY lead_id HAVING COUNT(*) = 1) AS e"
            )
            #expect(imported == Self.people, "one 'imported' event per lead, none repeated")
            try await database.close()
        } catch {
            try? await database.close()
            throw error
        }
    }
}
