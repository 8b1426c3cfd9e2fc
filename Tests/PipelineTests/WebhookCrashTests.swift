import App
import Foundation
import LeadgenCore
import Pipeline
import SQLKit
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `leadgen worker` with SIGKILL while it delivers 600 webhook messages, starts it again, and checks
/// against a live receiver that every message arrived, that none recorded as delivered before the kill was
/// sent again, and that the messages sent twice are the ones in flight at the kill, with their webhook-ids.
@Suite(.serialized) struct WebhookCrashTests {
    static let messages = 600

    static func startWorker(_ url: DatabaseURL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ImportCrashTests.binary)
        process.arguments = ["worker"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": ImportCrashTests.databaseURLText(url), "LEADGEN_LOG_LEVEL": "critical",
            "LEADGEN_WORKERS": "2", "LEADGEN_JOB_LEASE": "2", "LEADGEN_WEBHOOK_TIMEOUT": "5",
            "LEADGEN_OUTBOUND_ALLOW": "127.0.0.1/32", "LEADGEN_MASTER_KEY": "webhook-crash-test-key",
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(arguments: TestDatabases.kinds)
    func aKilledWorkerLosesNoMessageAndResendsOnlyWhatWasInFlight(kind: SQLDialectKind) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: ImportCrashTests.binary),
            "build the leadgen executable first: swift build --build-tests")
        // Slow answers, so the kill lands while messages are in flight.
        let receiver = WebhookReceiver(script: [], now: { Date() }, latency: .milliseconds(20))
        try await TestDatabases.withFresh(kind) { database, url in
            try await receiver.serve { hook in
                let app = AppRoot.testing(database) { $0.masterKey = "webhook-crash-test-key" }
                let workspace = try await app.stores.workspaces.findOrCreate(slug: "default").id
                let (_, secret) = try await app.stores.webhookEndpoints.create(
                    url: hook, description: "crash", events: ["lead.created"], in: workspace)
                await receiver.trust(secret)
                let items = try (0..<Self.messages).map { n in
                    var fields = LeadFields()
                    fields.email = try EmailAddress(parsing: "person\(n)@company\(n).example")
                    return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "api"))
                }
                _ = try await app.stores.ingestor.ingest(items, into: workspace)

                var worker = try Self.startWorker(url)
                let started = try await WorkerCrashTests.wait(seconds: 60) {
                    await receiver.acknowledged.count >= Self.messages / 4
                }
                #expect(started)
                await WorkerCrashTests.stop(worker, signal: SIGKILL)
                let deliveredAtKill = Set(try await Self.ids(database, state: "delivered"))
                let receivedAtKill = await receiver.deliveries.count
                #expect(deliveredAtKill.count < Self.messages, "killed mid-way")

                worker = try Self.startWorker(url)
                let finished = try await WorkerCrashTests.wait(seconds: 120) {
                    try await Self.ids(database, state: "delivered").count == Self.messages
                }
                await WorkerCrashTests.stop(worker, signal: SIGTERM)
                #expect(finished)

                let deliveries = await receiver.deliveries
                #expect(deliveries.allSatisfy { $0.verified }, "every request is signed")
                var times: [String: Int] = [:]
                for delivery in deliveries { times[delivery.id, default: 0] += 1 }
                #expect(times.count == Self.messages, "every message arrived")
                let twice = Set(times.filter { $0.value > 1 }.keys)
                #expect(twice.isDisjoint(with: deliveredAtKill), "nothing recorded as delivered is sent again")
                // An attempt that timed out is recorded as failed and made again, as it must be: the
                // receiver may never have seen it. What is left went twice because of the kill.
                let timedOut = Set(try await Self.messagesWithAFailedAttempt(database))
                let resentForTheKill = twice.subtracting(timedOut)
                #expect(
                    resentForTheKill.count <= 32,
                    "only the batches in flight at the kill (16 a job, two jobs) go twice: \(resentForTheKill.count)")
                #expect(times.values.allSatisfy { $0 <= 2 })
                print(
                    "webhook crash: \(kind) delivered at the kill \(deliveredAtKill.count), received \(receivedAtKill), "
                        + "sent again \(twice.count), of which \(twice.count - resentForTheKill.count) after a timeout")
            }
        }
    }

    static func messagesWithAFailedAttempt(_ database: LeadgenDatabase) async throws -> [String] {
        try await database.sql.raw("SELECT DISTINCT message_id FROM webhook_attempts WHERE succeeded = 0").all().map {
            try $0.decode(column: "message_id", as: String.self)
        }
    }

    static func ids(_ database: LeadgenDatabase, state: String) async throws -> [String] {
        try await database.sql.raw("SELECT id FROM webhook_messages WHERE state = \(bind: state)").all().map {
            try $0.decode(column: "id", as: String.self)
        }
    }
}
