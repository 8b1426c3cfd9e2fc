import App
import Foundation
import LeadgenCore
import Pipeline
import SQLKit
import Sandbox
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `leadgen worker` with SIGKILL in the middle of one e-mail step to 1,000 recipients, starts it again,
/// and checks against the sandbox's ledger that no recipient got the step twice, that every recipient got it
/// or is listed as unknown, and that the unknowns are the sends that were in flight at the kill.
@Suite(.serialized) struct OutreachCrashTests {
    static let recipients = 1000
    static let concurrency = 16

    static func startWorker(_ url: DatabaseURL, _ root: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ImportCrashTests.binary)
        process.arguments = ["worker"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": ImportCrashTests.databaseURLText(url), "LEADGEN_LOG_LEVEL": "critical",
            "LEADGEN_WORKERS": "2", "LEADGEN_JOB_LEASE": "2", "LEADGEN_MASTER_KEY": "outreach-crash-test-key",
            "LEADGEN_PUBLIC_URL": "https://leadgen.example", "LEADGEN_OUTREACH_CONCURRENCY": String(concurrency),
            "SENDGRID_API_KEY": SandboxOptions.sendgridAPIKey, "SENDGRID_BASE_URL": root.absoluteString,
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static let sequence = #"""
        {"name": "Crash", "window": {"days": ["mon","tue","wed","thu","fri","sat","sun"], "from": "00:00", "to": "24:00"},
         "steps": [{"id": "intro", "type": "email", "subject": "Hello {{first_name}}", "body": "Hi {{first_name}}"}]}
        """#

    @Test(arguments: TestDatabases.kinds)
    func aKilledWorkerSendsNoStepTwiceAndListsWhatItCannotTell(kind: SQLDialectKind) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: ImportCrashTests.binary),
            "build the leadgen executable first: swift build --build-tests")
        var options = SandboxOptions()
        // Slow answers, so the kill lands while sends are in flight.
        options.latency = .milliseconds(40)
        try await TestDatabases.withFresh(kind) { database, url in
            try await withLiveSandbox(options) { root, _ in
                let app = AppRoot.testing(database)
                let stores = app.stores
                let workspace = try await stores.workspaces.findOrCreate(slug: "default").id
                let items = (0..<Self.recipients).map { n in
                    var fields = LeadFields()
                    fields.firstName = "Person\(n)"
                    fields.email = try! EmailAddress(parsing: "person\(n)@company\(n).example")
                    fields.timeZone = "UTC"
                    return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "api"))
                }
                let leadIDs = try await stores.ingestor.ingest(items, into: workspace).map(\.leadID)
                _ = try await stores.senders.save(
                    OutreachSender(
                        channel: .email, provider: "sendgrid", address: "rep@sales.example", name: "Rep",
                        physicalAddress: "1 Main St, Springfield"), in: workspace)
                let stored = try await stores.sequences.create(name: "Crash", definition: Self.sequence, in: workspace)
                let enrolled = try await app.enrollment.enroll(
                    try await stores.leads.get(leadIDs, in: workspace), in: stored)
                #expect(enrolled.enrolled.count == Self.recipients)

                var worker = try Self.startWorker(url, root)
                let started = try await WorkerCrashTests.wait(seconds: 60) {
                    try await Self.deliveries(root).count >= 200
                }
                #expect(started)
                await WorkerCrashTests.stop(worker, signal: SIGKILL)
                let inFlight = try await Self.count(database, "status = 'sending'")
                let deliveredAtKill = try await Self.deliveries(root).count
                #expect(deliveredAtKill < Self.recipients, "killed mid-way")
                #expect(inFlight <= Self.concurrency)
                print("outreach crash: \(kind) in flight at the kill \(inFlight), delivered \(deliveredAtKill)")

                worker = try Self.startWorker(url, root)
                let finished = try await WorkerCrashTests.wait(seconds: 120) {
                    try await Self.count(database, "1 = 1", table: "enrollments WHERE status = 'active'") == 0
                }
                await WorkerCrashTests.stop(worker, signal: SIGTERM)
                #expect(finished)

                let deliveries = try await Self.deliveries(root)
                var perRecipient: [String: Int] = [:]
                for delivery in deliveries { perRecipient[delivery, default: 0] += 1 }
                #expect(perRecipient.values.allSatisfy { $0 == 1 }, "no recipient got the step twice")
                let messages = try await database.sql.raw("SELECT recipient, status FROM messages").all()
                let byStatus = Dictionary(grouping: messages) {
                    (try? $0.decode(column: "status", as: String.self)) ?? ""
                }
                let sent = Set(
                    (byStatus["sent"] ?? []).compactMap { try? $0.decode(column: "recipient", as: String.self) })
                let unknown = Set(
                    (byStatus["unknown"] ?? []).compactMap { try? $0.decode(column: "recipient", as: String.self) })
                #expect(sent.count + unknown.count == Self.recipients, "every recipient got it or is listed as unknown")
                #expect(sent.isSubset(of: Set(perRecipient.keys)), "every message recorded as sent reached the sandbox")
                #expect(unknown.count == inFlight, "the unknowns are the sends in flight at the kill")
                #expect(unknown.count <= Self.concurrency)
                let paused = try await Self.count(
                    database, "1 = 1", table: "enrollments WHERE status = 'paused' AND status_reason = 'unknown_send'")
                #expect(paused == unknown.count, "their enrolments wait for a person")
            }
        }
    }

    static func deliveries(_ root: URL) async throws -> [String] {
        let ledger = try await sandboxLedger(root, "sendgrid")
        return (ledger["deliveries"] as? [[String: Any]] ?? []).compactMap { $0["to"] as? String }
    }

    static func count(_ database: LeadgenDatabase, _ condition: String, table: String = "messages") async throws -> Int
    {
        let sql: SQLQueryString =
            table == "messages"
            ? "SELECT COUNT(*) AS n FROM messages WHERE \(unsafeRaw: condition)"
            : "SELECT COUNT(*) AS n FROM \(unsafeRaw: table)"
        return try await database.sql.raw(sql).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
