import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage

/// The handler of each kind of background job, and the queues a worker claims from.
enum JobHandlers {
    static let queues = [
        "default", "imports", EnrichmentPlanJob.queue, SyncPlanJob.queue, ScenarioRunJob.queue,
        OutreachDispatchJob.queue, WebhookDeliveryJob.queue,
    ]

    /// What the handlers work with (the batch jobs are shared with the scenario modules that run them inline).
    struct Dependencies {
        var database: LeadgenDatabase
        var stores: Stores
        var registry: ProviderRegistry
        var settings: AppSettings
        var time: TimeSource
        var enrichBatch: EnrichmentBatchJob
        var syncBatch: HubSpotSyncBatchJob
        var sync: SyncService
        var sourcing: ApolloSourcing
        var scenarios: ScenarioService
        var outreach: OutreachDispatcher
        var deduplication: LeadDeduplication
        var logger: Logger
    }

    static func all(_ d: Dependencies) -> [String: any JobHandler] {
        let stores = d.stores
        return [
            DedupeScanJob.kind: DedupeScanJob(deduplication: d.deduplication),
            ImportJob.kind: ImportJob(
                importer: CSVImporter(ingestor: stores.ingestor), imports: stores.imports, files: stores.importFiles,
                temporaryDirectory: d.settings.uploadDirectory),
            EnrichmentPlanJob.kind: EnrichmentPlanJob(
                database: d.database, store: stores.enrichment, jobs: stores.jobs),
            EnrichmentBatchJob.kind: d.enrichBatch,
            SyncPlanJob.kind: SyncPlanJob(database: d.database, store: stores.sync, jobs: stores.jobs),
            HubSpotSyncBatchJob.kind: d.syncBatch,
            HubSpotAutoSyncJob.kind: HubSpotAutoSyncJob(
                registry: d.registry, store: stores.sync, service: d.sync, quietFor: d.settings.autoSyncQuietPeriod),
            SavedSearchJob.kind: SavedSearchJob(
                searches: stores.savedSearches, sourcing: d.sourcing, registry: d.registry),
            ScenarioRunJob.kind: ScenarioRunJob(scenarios: d.scenarios),
            ScenarioScheduleTick.kind: ScenarioScheduleTick(
                scenarios: d.scenarios, retention: d.settings.scenarioHistoryRetention, time: d.time),
            ScenarioEventDispatchJob.kind: ScenarioEventDispatchJob(
                database: d.database, events: stores.automationEvents, scenarios: d.scenarios, leads: stores.leads,
                companies: stores.companies),
            OutreachDispatchJob.kind: OutreachDispatchJob(dispatcher: d.outreach),
            OutreachDispatchTick.kind: OutreachDispatchTick(jobs: stores.jobs),
            WebhookDeliveryJob.kind: WebhookDeliveryJob(
                messages: stores.webhookMessages, endpoints: stores.webhookEndpoints,
                sender: WebhookSender(
                    client: GuardedHTTPClient(policy: d.settings.outbound),
                    timeout: d.settings.webhookTimeout),
                time: d.time,
                logger: d.logger),
        ]
    }
}
