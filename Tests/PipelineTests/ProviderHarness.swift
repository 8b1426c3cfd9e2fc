import App
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Sandbox
import Storage
import TestSupport

/// A database, a live sandbox and the application wired together on it, with its worker to drain jobs.
struct ProviderHarness {
    let database: LeadgenDatabase
    let root: URL
    let workspace: WorkspaceID
    /// The application, on the sandbox's vendors.
    let app: AppRoot
    let jobs: JobQueue
    let leads: LeadStore
    let ingestor: LeadIngestor
    let clock: ManualClock

    static func withHarness<R: Sendable>(
        _ kind: SQLDialectKind, sandbox options: SandboxOptions = Self.sandboxOptions(), concurrency: Int = 4,
        _ body: @Sendable (ProviderHarness) async throws -> R
    ) async throws -> R {
        try await TestDatabases.withFresh(kind) { database, _ in
            try await withLiveSandbox(options) { root, _ in
                try await body(try await make(database, root, concurrency: concurrency))
            }
        }
    }

    static func sandboxOptions(people: Int = 400, scale: Double = 1000) -> SandboxOptions {
        var options = SandboxOptions()
        options.people = people
        options.rateLimitScale = scale
        return options
    }

    static let masterKey = "test-master-key"

    static func make(_ database: LeadgenDatabase, _ root: URL, concurrency: Int) async throws -> ProviderHarness {
        let clock = ManualClock(Date())
        let app = AppRoot.testing(
            database, time: clock.source,
            transport: ProviderTransport(
                logger: TestDatabases.logger, time: .system, sleep: { _ in }, backoff: { _ in 0 })
        ) {
            $0.providers = .sandbox(root: root)
            $0.providers.servesAllWorkspaces = false
            $0.providers.apolloRequestsPerSecond = 1000
            $0.providers.hubspotRequestsPerSecond = 1000
            $0.providers.timeout = .seconds(2)
            $0.masterKey = masterKey
            $0.workers = concurrency
        }
        let workspace = try await app.stores.workspaces.findOrCreate(slug: "default").id
        return ProviderHarness(
            database: database, root: root, workspace: workspace, app: app, jobs: app.stores.jobs,
            leads: app.stores.leads, ingestor: app.stores.ingestor, clock: clock)
    }

    /// Runs jobs until none is due; then moves the clock past any retry delay and goes on, up to `rounds`.
    func drain(rounds: Int = 5) async throws {
        for _ in 0..<rounds {
            _ = try await app.worker.drain()
            let pending = try await jobs.list(state: .pending)
            if pending.isEmpty { return }
            clock.advance(by: 3600)
        }
    }

    /// Adds `count` leads sourced from the sandbox's Apollo directory (Apollo ids, first names, titles).
    func source(_ count: Int, seniority: String? = nil) async throws -> SourcingSummary {
        let client = try await app.registry.apollo(for: workspace)
        return try await app.sourcing.run(
            ApolloPeopleQuery(personSeniorities: seniority.map { [$0] }), max: count, client: client,
            workspace: workspace, reference: "test")
    }

    /// Adds leads Apollo does not know.
    func addStrangers(_ count: Int) async throws {
        let items = (0..<count).map { n in
            var fields = LeadFields()
            fields.email = try! EmailAddress(parsing: "stranger\(n)@unknown-company.example")
            fields.firstName = "Stranger"
            fields.lastName = "Number \(n)"
            return IngestItem(input: LeadInput(fields: fields), source: LeadSourceRef(kind: "test"))
        }
        _ = try await ingestor.ingest(items, into: workspace)
    }

    func apolloLedger() async throws -> (credits: Double, charges: [String: Double], calls: [String: Int]) {
        let ledger = try await sandboxLedger(root, "apollo")
        return (
            ledger["credits_consumed"] as? Double ?? 0, ledger["charges"] as? [String: Double] ?? [:],
            ledger["calls"] as? [String: Int] ?? [:]
        )
    }

    func hubspotLedger() async throws -> [String: Any] {
        try await sandboxLedger(root, "hubspot")
    }

    func allLeads() async throws -> [Lead] {
        var query = LeadQuery()
        query.limit = 10_000
        return try await leads.list(query, in: workspace).leads
    }
}
