import Foundation
import LeadgenCore
import Storage

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
