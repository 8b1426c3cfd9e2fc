import Automation
import Foundation
import LeadgenCore
import Logging
import Providers
import Storage

/// The background work of the pipeline — imports, enrichment, sourcing and CRM sync — with the job handlers
/// a worker runs, built once from the database and the provider registry.
public struct PipelineJobs: Sendable {
    /// The queues a worker claims from.
    public static let queues = [
        "default", "imports", EnrichmentPlanJob.queue, SyncPlanJob.queue, ScenarioRunJob.queue,
        OutreachDispatchJob.queue,
    ]

    public let enrichment: EnrichmentService
    public let enrichmentStore: EnrichmentStore
    public let sync: SyncService
    public let syncStore: SyncStore
    /// Which CRM account each workspace's connection reaches (the HubSpot portal).
    public let crmAccounts: CRMAccountStore
    /// Mobile numbers asked of Apollo and what became of them.
    public let phoneReveals: PhoneRevealStore
    public let sourcing: ApolloSourcing
    public let savedSearches: SavedSearchStore
    public let registry: ProviderRegistry
    public let webhooks: WebhookStore
    public let scenarios: ScenarioService
    public let outreach: OutreachDispatcher
    public let handlers: [String: any JobHandler]

    public init(
        database: LeadgenDatabase, jobs: JobQueue, registry: ProviderRegistry, ingestor: LeadIngestor,
        ids: IDGenerator, time: TimeSource, uploadDirectory: URL, publicURL: URL? = nil,
        enrichmentCacheTTL: TimeInterval = 30 * 86400, autoSyncQuietPeriod: TimeInterval = 30,
        scenarioHistoryRetention: TimeInterval? = 30 * 86400,
        outreach outreachOptions: OutreachDispatcher.Options? = nil,
        transport messageTransport: (any MessageTransport)? = nil,
        wake: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        let leads = LeadStore(database: database, ids: ids, time: time)
        let companies = CompanyStore(database: database)
        enrichmentStore = EnrichmentStore(database: database, ids: ids, time: time)
        webhooks = WebhookStore(database: database, time: time)
        enrichment = EnrichmentService(
            database: database, store: enrichmentStore, jobs: jobs, webhooks: webhooks, publicURL: publicURL)
        syncStore = SyncStore(database: database, ids: ids, time: time)
        crmAccounts = CRMAccountStore(database: database, time: time)
        phoneReveals = PhoneRevealStore(database: database, time: time)
        sync = SyncService(database: database, store: syncStore, jobs: jobs)
        sourcing = ApolloSourcing(leads: leads, ingestor: ingestor)
        savedSearches = SavedSearchStore(database: database, ids: ids, time: time)
        self.registry = registry
        let enrichBatch = EnrichmentBatchJob(
            store: enrichmentStore, leads: leads, companies: companies, ingestor: ingestor,
            phoneReveals: phoneReveals,
            providers: { name, run in try await Self.enrichmentProvider(name, run, registry) },
            cacheTTL: enrichmentCacheTTL, logger: logger)
        let syncBatch = HubSpotSyncBatchJob(
            store: syncStore, leads: leads, companies: companies, accounts: crmAccounts, registry: registry,
            logger: logger)
        let scenarioStore = ScenarioStore(database: database, ids: ids, time: time)
        let completions = ScenarioRunCompletions()
        let runner = ScenarioRunner(
            modules: AutomationModules.all(
                http: GuardedHTTPClient(policy: registry.outbound),
                keychains: ConnectionKeychains(connections: registry.connections)
            )
            .merging(DataStoreModules.all(DataStoreRecords(database: database, time: time))) { $1 }
            .merging(LeadgenModules.all(leads: leads, companies: companies, ingestor: ingestor)) { $1 }
            .merging(
                PipelineModules.all(
                    database: database, enrichmentStore: enrichmentStore, enrichBatch: enrichBatch,
                    syncStore: syncStore, syncBatch: syncBatch, leads: leads, companies: companies)
            ) { $1 }
            .merging(AppModules.all(registry: registry)) { $1 }
            .merging([
                "leadgen:EnrollInSequence": EnrollInSequenceModule(
                    sequences: SequenceStore(database: database, ids: ids, time: time), leads: leads,
                    service: EnrollmentService(
                        enrollments: EnrollmentStore(database: database, ids: ids, time: time),
                        suppressions: SuppressionStore(database: database, ids: ids, time: time), jobs: jobs))
            ]) { $1 },
            triggers: [PlatformEventTrigger.module])
        let events = AutomationEventStore(database: database, ids: ids, time: time)
        scenarios = ScenarioService(
            database: database, store: scenarioStore, events: events, jobs: jobs, runner: runner,
            completions: completions, incompletes: ScenarioIncompleteStore(database: database, ids: ids, time: time),
            wake: wake, time: time)
        var dispatchOptions = outreachOptions ?? OutreachDispatcher.Options()
        dispatchOptions.publicURL = dispatchOptions.publicURL ?? publicURL
        outreach = OutreachDispatcher(
            database: database, registry: registry,
            transport: messageTransport
                ?? VendorMessageTransport(registry: registry, publicURL: dispatchOptions.publicURL, time: time),
            options: dispatchOptions, ids: ids, time: time, logger: logger)
        let imports = ImportStore(database: database, ids: ids, time: time)
        let files = ImportFileStore(database: database)
        handlers = [
            ImportJob.kind: ImportJob(
                importer: CSVImporter(ingestor: ingestor), imports: imports, files: files,
                temporaryDirectory: uploadDirectory),
            EnrichmentPlanJob.kind: EnrichmentPlanJob(database: database, store: enrichmentStore, jobs: jobs),
            EnrichmentBatchJob.kind: enrichBatch,
            SyncPlanJob.kind: SyncPlanJob(database: database, store: syncStore, jobs: jobs),
            HubSpotSyncBatchJob.kind: syncBatch,
            HubSpotAutoSyncJob.kind: HubSpotAutoSyncJob(
                registry: registry, store: syncStore, service: sync, quietFor: autoSyncQuietPeriod),
            SavedSearchJob.kind: SavedSearchJob(searches: savedSearches, sourcing: sourcing, registry: registry),
            ScenarioRunJob.kind: ScenarioRunJob(scenarios: scenarios),
            ScenarioScheduleTick.kind: ScenarioScheduleTick(
                scenarios: scenarios, retention: scenarioHistoryRetention, time: time),
            ScenarioEventDispatchJob.kind: ScenarioEventDispatchJob(
                database: database, events: events, scenarios: scenarios, leads: leads, companies: companies),
            OutreachDispatchJob.kind: OutreachDispatchJob(dispatcher: outreach),
            OutreachDispatchTick.kind: OutreachDispatchTick(jobs: jobs),
        ]
    }

    /// The enrichment providers a run can name.
    static func enrichmentProvider(_ name: String, _ run: EnrichmentRun, _ registry: ProviderRegistry)
        async throws -> any EnrichmentProvider
    {
        switch name {
        case "apollo":
            ApolloEnrichmentProvider(
                client: try await registry.apollo(for: WorkspaceID(rawValue: run.workspaceID)),
                phoneWebhook: run.selection.phoneWebhookURL.flatMap(URL.init(string:)))
        default: throw ProviderNotConfigured(provider: name)
        }
    }

    /// Schedules the recurring jobs, every minute each: HubSpot auto-sync, the scenario schedules, and a
    /// sweep of platform events (each event also queues its dispatch at once; the sweep is the safety net).
    public static func scheduleAutoSync(_ scheduler: JobScheduler) async throws {
        try await scheduler.save(
            name: ScenarioEventDispatchJob.scheduleName, cron: try CronExpression(parsing: "* * * * *"),
            job: try NewJob(
                kind: ScenarioEventDispatchJob.kind, payload: [String: String](), queue: ScenarioRunJob.queue,
                uniqueKey: ScenarioEventDispatchJob.scheduleName))
        try await scheduler.save(
            name: ScenarioScheduleTick.scheduleName, cron: try CronExpression(parsing: "* * * * *"),
            job: try NewJob(
                kind: ScenarioScheduleTick.kind, payload: [String: String](), queue: ScenarioRunJob.queue,
                uniqueKey: ScenarioScheduleTick.scheduleName))
        try await scheduler.save(
            name: OutreachDispatchJob.scheduleName, cron: try CronExpression(parsing: "* * * * *"),
            job: try NewJob(
                kind: OutreachDispatchTick.kind, payload: [String: String](), queue: OutreachDispatchJob.queue,
                uniqueKey: OutreachDispatchTick.kind))
        try await scheduler.save(
            name: HubSpotAutoSyncJob.scheduleName, cron: try CronExpression(parsing: "* * * * *"),
            job: try NewJob(
                kind: HubSpotAutoSyncJob.kind, payload: [String: String](), queue: SyncPlanJob.queue,
                uniqueKey: HubSpotAutoSyncJob.scheduleName))
    }
}
