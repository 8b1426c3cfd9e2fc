import App
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import SQLKit
import Sandbox
import Storage
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills `leadgen worker` with SIGKILL in the middle of an enrichment run and of a HubSpot sync, starts it
/// again, and checks against the sandbox's ledgers that no lead was lost, no person was charged twice and
/// no HubSpot contact was created twice.
@Suite(.serialized) struct WorkerCrashTests {
    static let binary = ImportCrashTests.binary
    static let people = 400

    /// A worker process with the providers pointed at the sandbox; leases of 2 s so a killed worker's jobs
    /// come back quickly.
    static func startWorker(_ url: DatabaseURL, _ root: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["worker"]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "DATABASE_URL": ImportCrashTests.databaseURLText(url), "LEADGEN_LOG_LEVEL": "critical",
            "LEADGEN_WORKERS": "4", "LEADGEN_JOB_LEASE": "2", "APOLLO_API_KEY": SandboxOptions.apolloAPIKey,
            "APOLLO_BASE_URL": root.appendingPathComponent("api/v1").absoluteString,
            "HUBSPOT_ACCESS_TOKEN": SandboxOptions.hubspotToken, "HUBSPOT_BASE_URL": root.absoluteString,
            "SLACK_WEBHOOK_URL": root.appendingPathComponent(String(SandboxOptions.slackWebhookPath.dropFirst()))
                .absoluteString,
        ]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func stop(_ process: Process, signal: Int32) async {
        kill(process.processIdentifier, signal)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Waits until `condition` holds, for at most `seconds`.
    static func wait(seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(25))
        }
        return false
    }

    @Test(arguments: TestDatabases.kinds)
    func aKilledWorkerLosesNothingAndPaysAndCreatesNothingTwice(kind: SQLDialectKind) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "build the leadgen executable first: swift build --build-tests")
        var options = ProviderHarness.sandboxOptions(people: 1500)
        // Slow answers, so the kill lands while calls are in flight.
        options.latency = .milliseconds(40)
        try await TestDatabases.withFresh(kind) { database, url in
            try await withLiveSandbox(options) { root, _ in
                let h = try await ProviderHarness.make(database, root, concurrency: 1)
                #expect(try await h.source(Self.people).added == Self.people)

                // Enrichment: kill after some batches were paid for, then finish with a new worker.
                let run = try await h.app.enrichment.start(
                    workspace: h.workspace, selection: EnrichmentSelection(), budget: nil)
                var worker = try Self.startWorker(url, root)
                let started = try await Self.wait(seconds: 60) {
                    (try await h.apolloLedger().calls["people/bulk_match"] ?? 0) >= 8
                }
                #expect(started)
                await Self.stop(worker, signal: SIGKILL)
                let callsAtKill = try await h.apolloLedger().calls["people/bulk_match"] ?? 0
                #expect(callsAtKill < Self.people / 10, "killed mid-way")
                worker = try Self.startWorker(url, root)
                let finished = try await Self.wait(seconds: 120) {
                    try await h.app.stores.enrichment.run(run.id)?.isFinished == true
                }
                await Self.stop(worker, signal: SIGTERM)
                #expect(finished)
                let done = try #require(try await h.app.stores.enrichment.run(run.id))
                #expect(done.status == .succeeded)
                #expect(done.batchesDone == done.batchesTotal)
                #expect(done.leadsEnriched + done.leadsInterrupted == Self.people)
                #expect(done.leadsInterrupted <= 4 * 10, "at most the batches in flight at the kill")

                let ledger = try await h.apolloLedger()
                #expect(ledger.charges.values.allSatisfy { $0 == 1 }, "no person charged twice")
                #expect(ledger.credits >= done.spent)
                let leads = try await h.allLeads()
                #expect(leads.count == Self.people, "no lead lost or duplicated")
                #expect(Set(leads.compactMap(\.fields.apolloPersonID)).count == Self.people)

                // Sync: kill after some batches reached HubSpot, then finish with a new worker.
                let withEmail = leads.filter { $0.fields.email != nil }.count
                let sync = try await h.app.sync.start(workspace: h.workspace, scope: .all)
                worker = try Self.startWorker(url, root)
                _ = try await Self.wait(seconds: 60) {
                    let calls = try await h.hubspotLedger()["calls"] as? [String: Int] ?? [:]
                    return (calls["POST crm/v3/objects/contacts/batch/upsert"] ?? 0) >= 1
                }
                await Self.stop(worker, signal: SIGKILL)
                worker = try Self.startWorker(url, root)
                let synced = try await Self.wait(seconds: 120) {
                    try await h.app.stores.sync.run(sync.id)?.isFinished == true
                }
                await Self.stop(worker, signal: SIGTERM)
                #expect(synced)
                let syncRun = try #require(try await h.app.stores.sync.run(sync.id))
                #expect(syncRun.status == .succeeded)
                let hubspot = try await h.hubspotLedger()
                let creations = hubspot["contact_creations"] as? [String: Int] ?? [:]
                #expect(creations.count == withEmail)
                #expect(creations.values.allSatisfy { $0 == 1 }, "no contact created twice")
                #expect((hubspot["contacts"] as? [[String: Any]])?.count == withEmail)
                let companies = hubspot["companies"] as? [[String: Any]] ?? []
                let keys = companies.compactMap { ($0["properties"] as? [String: String])?["leadgen_company_id"] }
                #expect(Set(keys).count == companies.count, "no company created twice")
            }
        }
    }

    /// A scenario run killed mid-way through its paid Apollo calls is finished by the next worker from its
    /// effect ledger: what was done is replayed, the call in flight at the kill is not repeated.
    @Test(arguments: TestDatabases.kinds)
    func aKilledScenarioRunPaysForNothingTwice(kind: SQLDialectKind) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary))
        var options = ProviderHarness.sandboxOptions(people: 1500)
        options.latency = .milliseconds(40)
        try await TestDatabases.withFresh(kind) { database, url in
            try await withLiveSandbox(options) { root, _ in
                let h = try await ProviderHarness.make(database, root, concurrency: 1)
                let imported = try await h.app.scenarios.importBlueprint(
                    try ShippedBlueprintTests.blueprint("apollo_to_crm_scenario.json"), name: nil, enabled: true,
                    in: h.workspace)
                let run = try await h.app.scenarios.start(
                    imported.scenario, trigger: "webhook",
                    bundles: [.object(["titles": .array([.string("a")]), "per_page": .int(100)])])
                var worker = try Self.startWorker(url, root)
                let started = try await Self.wait(seconds: 60) {
                    (try await h.apolloLedger().calls["people/match"] ?? 0) >= 20
                }
                #expect(started)
                await Self.stop(worker, signal: SIGKILL)
                let callsAtKill = try await h.apolloLedger().calls["people/match"] ?? 0
                #expect(callsAtKill < 100, "killed mid-way")
                worker = try Self.startWorker(url, root)
                let finished = try await Self.wait(seconds: 120) {
                    try await h.app.scenarios.store.run(run.id)?.isFinished == true
                }
                await Self.stop(worker, signal: SIGTERM)
                #expect(finished)
                let done = try #require(try await h.app.scenarios.store.run(run.id))
                #expect(done.status == .success, "\(done.error ?? "")")

                let ledger = try await h.apolloLedger()
                #expect(ledger.calls["mixed_people/api_search"] == 1, "the search is replayed, not repeated")
                #expect(ledger.charges.values.allSatisfy { $0 == 1 }, "no person charged twice")
                let matches = ledger.calls["people/match"] ?? 0
                #expect(matches <= 100 && matches >= 99, "every person once, but the one in flight at the kill")
                let hubspot = try await h.hubspotLedger()
                let creations = hubspot["contact_creations"] as? [String: Int] ?? [:]
                #expect(!creations.isEmpty && creations.values.allSatisfy { $0 == 1 }, "no contact created twice")
                let slack = try await sandboxLedger(root, "slack")
                #expect((slack["messages"] as? [Any])?.count == 1)
            }
        }
    }
}
