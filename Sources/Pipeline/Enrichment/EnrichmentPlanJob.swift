import Foundation
import LeadgenCore
import Storage

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
        let store = self.store
        try await BatchedRunPlanner(database: database, jobs: jobs, batchSize: batchSize).plan(
            try await store.eligibleLeads(for: run),
            record: { batches, db in try await store.plan(run, batches: batches, on: db) },
            job: { seq in
                try NewJob(
                    kind: EnrichmentBatchJob.kind, payload: EnrichmentBatchJob.Arguments(runID: run.id, seq: seq),
                    queue: Self.queue, uniqueKey: "enrich:\(run.id):\(seq)",
                    workspace: WorkspaceID(rawValue: run.workspaceID))
            })
    }
}
