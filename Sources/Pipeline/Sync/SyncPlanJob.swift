import Foundation
import LeadgenCore
import Storage

/// Picks the leads a sync sends and queues a job per batch of 100.
public struct SyncPlanJob: JobHandler {
    public static let kind = "sync_plan"
    public static let queue = "sync"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public var quietFor: TimeInterval?
    }

    let database: LeadgenDatabase
    let store: SyncStore
    let jobs: JobQueue
    let batchSize: Int

    public init(database: LeadgenDatabase, store: SyncStore, jobs: JobQueue, batchSize: Int = 100) {
        self.database = database
        self.store = store
        self.jobs = jobs
        self.batchSize = batchSize
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        guard let run = try await store.run(arguments.runID), run.status == .queued else { return }
        let workspace = WorkspaceID(rawValue: run.workspaceID)
        let store = self.store
        try await BatchedRunPlanner(database: database, jobs: jobs, batchSize: batchSize).plan(
            try await store.candidates(
                workspace: workspace, provider: run.provider, scope: run.scope, quietFor: arguments.quietFor ?? 0),
            record: { batches, db in try await store.plan(run, batches: batches, on: db) },
            job: { seq in
                try NewJob(
                    kind: HubSpotSyncBatchJob.kind, payload: HubSpotSyncBatchJob.Arguments(runID: run.id, seq: seq),
                    queue: Self.queue, uniqueKey: "sync:\(run.id):\(seq)", workspace: workspace)
            })
    }
}
