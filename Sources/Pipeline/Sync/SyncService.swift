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
        let leads = try await store.candidates(
            workspace: workspace, provider: run.provider, scope: run.scope, quietFor: arguments.quietFor ?? 0)
        let batches = stride(from: 0, to: leads.count, by: batchSize).map {
            Array(leads[$0..<min(leads.count, $0 + batchSize)])
        }
        let (store, jobs) = (self.store, self.jobs)
        try await database.transaction { db in
            try await store.plan(run, batches: batches, on: db)
            for seq in batches.indices {
                try await jobs.enqueue(
                    try NewJob(
                        kind: HubSpotSyncBatchJob.kind, payload: HubSpotSyncBatchJob.Arguments(runID: run.id, seq: seq),
                        queue: Self.queue, uniqueKey: "sync:\(run.id):\(seq)", workspace: workspace),
                    on: db)
            }
        }
    }
}

/// Every minute: for each workspace connected to HubSpot, starts a sync of the leads changed since their
/// last sync and left alone for `quietFor` seconds (so a burst of edits is sent once), unless one runs.
public struct HubSpotAutoSyncJob: JobHandler {
    public static let kind = "hubspot_autosync"
    public static let scheduleName = "hubspot-autosync"

    let registry: ProviderRegistry
    let store: SyncStore
    let service: SyncService
    let quietFor: TimeInterval

    public init(registry: ProviderRegistry, store: SyncStore, service: SyncService, quietFor: TimeInterval = 30) {
        self.registry = registry
        self.store = store
        self.service = service
        self.quietFor = quietFor
    }

    public func run(_ job: Job) async throws {
        for workspace in try await registry.connectedWorkspaces("hubspot") {
            guard try await !store.hasActiveRun(workspace: workspace, provider: "hubspot") else { continue }
            let settings = try await registry.connectionSettings("hubspot", for: workspace)
            guard settings["auto_sync"] != "false" else { continue }
            let changed = try await store.candidates(
                workspace: workspace, provider: "hubspot", scope: .changed, quietFor: quietFor)
            guard !changed.isEmpty else { continue }
            _ = try await service.start(workspace: workspace, scope: .changed, quietFor: quietFor)
        }
    }
}
