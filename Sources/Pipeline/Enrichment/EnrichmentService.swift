import Foundation
import LeadgenCore
import Storage

/// Starts enrichment runs: the run and its planning job are written in one transaction.
public struct EnrichmentService: Sendable {
    let database: LeadgenDatabase
    let store: EnrichmentStore
    let jobs: JobQueue
    let webhooks: WebhookStore
    /// Where Apollo can reach this server; phone numbers can be asked for only when it is known.
    let publicURL: URL?

    public init(
        database: LeadgenDatabase, store: EnrichmentStore, jobs: JobQueue, webhooks: WebhookStore, publicURL: URL?
    ) {
        self.database = database
        self.store = store
        self.jobs = jobs
        self.webhooks = webhooks
        self.publicURL = publicURL
    }

    public struct PhonesNeedPublicURL: Error, CustomStringConvertible {
        public var description: String {
            "asking Apollo for phone numbers needs LEADGEN_PUBLIC_URL: Apollo delivers them later to a public webhook"
        }
    }

    /// Queues a run over the selected leads; `budget` caps the credits it may spend (nil: no cap).
    /// `revealPhones` also asks for mobile numbers, which Apollo posts to a webhook with a token of this run.
    public func start(
        workspace: WorkspaceID, selection: EnrichmentSelection, budget: Double?, revealPhones: Bool = false,
        providers: [String] = ["apollo"]
    ) async throws -> EnrichmentRun {
        var selection = selection
        if revealPhones {
            guard let publicURL else { throw PhonesNeedPublicURL() }
            let token = try await webhooks.issueToken(provider: "apollo", purpose: "phones", workspace: workspace)
            selection.phoneWebhookURL = publicURL.appendingPathComponent("webhooks/apollo/\(token)").absoluteString
        }
        let (store, jobs, selected) = (self.store, self.jobs, selection)
        return try await database.transaction { db in
            let run = try await store.createRun(
                workspace: workspace, selection: selected, providers: providers, budget: budget, on: db)
            try await jobs.enqueue(
                try NewJob(
                    kind: EnrichmentPlanJob.kind, payload: EnrichmentPlanJob.Arguments(runID: run.id),
                    queue: EnrichmentPlanJob.queue, priority: 1, uniqueKey: "enrich-plan:\(run.id)",
                    workspace: workspace),
                on: db)
            return run
        }
    }
}

/// Picks a run's leads and queues one job per batch, in one transaction with the batches themselves.
public struct EnrichmentPlanJob: JobHandler {
    public static let kind = "enrich_plan"
    public static let queue = "enrichment"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public init(runID: String) { self.runID = runID }
    }

    let database: LeadgenDatabase
    let store: EnrichmentStore
    let jobs: JobQueue
    /// Leads per batch: the smallest batch size of the run's providers (Apollo's is 10).
    let batchSize: Int

    public init(database: LeadgenDatabase, store: EnrichmentStore, jobs: JobQueue, batchSize: Int = 10) {
        self.database = database
        self.store = store
        self.jobs = jobs
        self.batchSize = batchSize
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        guard let run = try await store.run(arguments.runID), run.status == .queued else { return }
        let leads = try await store.eligibleLeads(for: run)
        let batches = stride(from: 0, to: leads.count, by: batchSize).map {
            Array(leads[$0..<min(leads.count, $0 + batchSize)])
        }
        let (store, jobs) = (self.store, self.jobs)
        try await database.transaction { db in
            try await store.plan(run, batches: batches, on: db)
            for seq in batches.indices {
                try await jobs.enqueue(
                    try NewJob(
                        kind: EnrichmentBatchJob.kind,
                        payload: EnrichmentBatchJob.Arguments(runID: run.id, seq: seq), queue: Self.queue,
                        uniqueKey: "enrich:\(run.id):\(seq)", workspace: WorkspaceID(rawValue: run.workspaceID)),
                    on: db)
            }
        }
    }
}
