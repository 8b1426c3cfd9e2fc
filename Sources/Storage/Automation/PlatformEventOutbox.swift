import Foundation
import LeadgenCore
import SQLKit

/// Where every platform event is recorded, in the transaction of the change it reports: for the scenarios
/// that watch its kind, and as a message for each webhook endpoint subscribed to it.
public struct PlatformEventOutbox: Sendable {
    let scenarios: AutomationEventStore
    let webhooks: WebhookOutbox

    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource) {
        scenarios = AutomationEventStore(database: database, ids: ids, time: time)
        webhooks = WebhookOutbox(database: database, ids: ids, time: time)
    }

    public func record(_ events: [NewPlatformEvent], workspace: WorkspaceID, on db: any SQLDatabase) async throws {
        try await scenarios.record(events, workspace: workspace, on: db)
        try await webhooks.record(events, workspace: workspace, on: db)
    }
}
