import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Sandbox
import Storage
import TestSupport

/// A database, a live sandbox and the pipeline's job handlers wired together, with a worker to drain jobs.
struct ProviderHarness {
    let database: LeadgenDatabase
    let root: URL
    let workspace: WorkspaceID
    let jobs: JobQueue
    let pipeline: PipelineJobs
    let worker: JobWorker
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
        let logger = TestDatabases.logger
        let workspace = try await WorkspaceStore(database: database, ids: .uuidV7, time: .system).findOrCreate(
            slug: "default"
        ).id
        var settings = ProviderSettings()
        settings.apolloAPIKey = SandboxOptions.apolloAPIKey
        settings.apolloBaseURL = root.appendingPathComponent("api/v1")
        settings.hubspotAccessToken = SandboxOptions.hubspotToken
        settings.hubspotBaseURL = root
        settings.makeAPIToken = SandboxOptions.makeAPIToken
        settings.makeBaseURL = root.appendingPathComponent("make/api/v2")
        settings.slackWebhookURL = root.appendingPathComponent(String(SandboxOptions.slackWebhookPath.dropFirst()))
        settings.apolloRequestsPerSecond = 1000
        settings.hubspotRequestsPerSecond = 1000
        settings.timeout = .seconds(2)
        let transport = ProviderTransport(logger: logger, time: .system, sleep: { _ in }, backoff: { _ in 0 })
        let registry = ProviderRegistry(
            settings: settings,
            connections: ConnectionStore(database: database, box: SecretBox(masterKey: masterKey), time: .system),
            workspaces: WorkspaceStore(database: database, ids: .uuidV7, time: .system), transport: transport,
            outbound: .testLoopback)
        let jobs = JobQueue(database: database, ids: .uuidV7, time: clock.source)
        let ingestor = LeadIngestor(database: database, ids: .uuidV7, time: clock.source)
        let pipeline = PipelineJobs(
            database: database, jobs: jobs, registry: registry, ingestor: ingestor, ids: .uuidV7, time: clock.source,
            uploadDirectory: FileManager.default.temporaryDirectory, logger: logger)
        var options = JobWorker.Options()
        options.queues = PipelineJobs.queues
        options.concurrency = concurrency
        let worker = JobWorker(queue: jobs, handlers: pipeline.handlers, options: options, logger: logger)
        return ProviderHarness(
            database: database, root: root, workspace: workspace, jobs: jobs, pipeline: pipeline, worker: worker,
            leads: LeadStore(database: database, ids: .uuidV7, time: clock.source), ingestor: ingestor, clock: clock)
    }

    /// Runs jobs until none is due; then moves the clock past any retry delay and goes on, up to `rounds`.
    func drain(rounds: Int = 5) async throws {
        for _ in 0..<rounds {
            _ = try await worker.drain()
            let pending = try await jobs.list(state: .pending)
            if pending.isEmpty { return }
            clock.advance(by: 3600)
        }
    }

    /// Adds `count` leads sourced from the sandbox's Apollo directory (Apollo ids, first names, titles).
    func source(_ count: Int, seniority: String? = nil) async throws -> SourcingSummary {
        let client = try await pipeline.registry.apollo(for: workspace)
        return try await pipeline.sourcing.run(
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
