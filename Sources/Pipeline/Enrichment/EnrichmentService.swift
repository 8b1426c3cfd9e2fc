import Foundation
import LeadgenCore
import Storage

/// Starts enrichment runs: the run and its planning job are written in one transaction.
public struct EnrichmentService: Sendable {
    let database: LeadgenDatabase
    let store: EnrichmentStore
    let jobs: JobQueue

    public init(database: LeadgenDatabase, store: EnrichmentStore, jobs: JobQueue) {
        self.database = database
        self.store = store
        self.jobs = jobs
    }

    /// Queues a run over the selected leads; `budget` caps the credits it may spend (nil: no cap).
    public func start(
        workspace: WorkspaceID, selection: EnrichmentSelection, budget: Double?, providers: [String] = ["apollo"]
    ) async throws -> EnrichmentRun {
        let (store, jobs) = (self.store, self.jobs)
        return try await database.transaction { db in
            let run = try await store.createRun(
                workspace: workspace, selection: selection, providers: providers, budget: budget, on: db)
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
