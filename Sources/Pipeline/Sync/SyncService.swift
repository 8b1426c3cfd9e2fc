import Foundation
import LeadgenCore
import Storage

/// Starts CRM syncs: the run and its planning job in one transaction.
public struct SyncService: Sendable {
    let database: LeadgenDatabase
    let store: SyncStore
    let jobs: JobQueue

    public init(database: LeadgenDatabase, store: SyncStore, jobs: JobQueue) {
        self.database = database
        self.store = store
        self.jobs = jobs
    }

    public func start(
        workspace: WorkspaceID, provider: String = "hubspot", scope: SyncRun.Scope, quietFor: TimeInterval = 0
    )
        async throws -> SyncRun
    {
        let (store, jobs) = (self.store, self.jobs)
        return try await database.transaction { db in
            let run = try await store.createRun(workspace: workspace, provider: provider, scope: scope, on: db)
            try await jobs.enqueue(
                try NewJob(
                    kind: SyncPlanJob.kind, payload: SyncPlanJob.Arguments(runID: run.id, quietFor: quietFor),
                    queue: SyncPlanJob.queue, priority: 1, uniqueKey: "sync-plan:\(run.id)", workspace: workspace),
                on: db)
            return run
        }
    }
}
