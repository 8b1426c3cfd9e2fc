import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import ServiceLifecycle
import Storage

/// The composition root: the database, the clock, the id source, every store and service, the provider
/// registry and the job handlers, built once. The server, the worker, the CLI and the tests take what they
/// need from here; nothing else builds a store or a service.
public struct AppRoot: Sendable {
    public let database: LeadgenDatabase
    public let time: TimeSource
    public let ids: IDGenerator
    public let logger: Logger
    public let settings: AppSettings
    public let stores: Stores
    /// The vendors' clients, on the operator's keys or each workspace's connections.
    public let registry: ProviderRegistry
    public let providerMetrics: ProviderMetrics
    /// The jobs this process ran (kind, outcome, time).
    public let jobMetrics = JobMetrics()

    public let accounts: AccountService
    public let enrichment: EnrichmentService
    public let sync: SyncService
    public let sourcing: ApolloSourcing
    public let scenarios: ScenarioService
    public let enrollment: EnrollmentService
    public let outreach: OutreachDispatcher
    /// Applies vendors' delivery, open, click, reply and opt-out events to the messages they are about.
    public let engagement: EngagementRecorder
    /// Runs a scenario from a request to its webhook URL; answers within 40 seconds when it responds.
    public let scenarioHooks: ScenarioHookRunner
    /// Keeps the messaging vendors' events, applies their opt-outs and applies them to their messages.
    public let messageEvents: MessageEventIntake
    /// Applies Apollo's late phone deliveries to the leads they name.
    public let phoneDelivery: ApolloPhoneDelivery
    /// Applies HubSpot's contact property changes to the synced leads.
    public let hubspotChanges: HubSpotContactChanges
    /// Turns what form tools post to inbound webhooks into leads.
    public let inboundLeads: InboundLeadIntake
    /// Verifies leads' e-mail addresses as far as DNS goes and stores the outcomes.
    public let emailVerification: EmailVerificationRun
    /// Finds the leads that are one person by record linkage, and merges them.
    public let deduplication: LeadDeduplication

    /// The handler of each job kind.
    public let handlers: [String: any JobHandler]
    /// Runs queued jobs; `leadgen serve` runs it beside the server unless told not to, `leadgen worker` alone.
    public let worker: JobWorker
    /// On PostgreSQL, wakes this process's worker when any process enqueues a job.
    public let jobNotifications: JobNotificationListener?

    /// `transport` and `messageTransport` replace the real ones in tests.
    public init(
        database: LeadgenDatabase, time: TimeSource, ids: IDGenerator, logger: Logger, settings: AppSettings,
        transport: ProviderTransport? = nil, messageTransport: (any MessageTransport)? = nil
    ) {
        self.database = database
        self.time = time
        self.ids = ids
        self.logger = logger
        self.settings = settings
        let stores = Stores(database: database, ids: ids, time: time, masterKey: settings.masterKey)
        self.stores = stores
        let transport = transport ?? ProviderTransport(logger: logger, time: time)
        providerMetrics = transport.metrics
        let registry = ProviderRegistry(
            settings: settings.providers, connections: stores.connections, workspaces: stores.workspaces,
            transport: transport, outbound: settings.outbound)
        self.registry = registry

        accounts = AccountService(users: stores.users, workspaces: stores.workspaces)
        deduplication = LeadDeduplication(leads: stores.leads, merges: stores.leadMerges, pairs: stores.duplicatePairs)
        let dns = Self.dnsClient(settings.dnsServer)
        let outbound = settings.outbound
        emailVerification = EmailVerificationRun(
            leads: stores.leads, store: stores.emailVerifications, verifier: EmailVerifier(client: dns),
            probingVerifier: settings.smtpProbe.map { options in
                let probe = SMTPProbe(
                    options: options,
                    madeUpLocalPart: { "leadgen-probe-" + String(UInt64.random(in: .min ... .max), radix: 36) })
                return EmailVerifier(
                    client: dns,
                    probing: MailboxProbing(probe: probe, allowed: { IPAddress($0).map(outbound.allows) ?? false }))
            }, time: time)
        enrichment = EnrichmentService(
            database: database, store: stores.enrichment, jobs: stores.jobs, webhooks: stores.webhooks,
            publicURL: settings.publicURL)
        sync = SyncService(database: database, store: stores.sync, jobs: stores.jobs)
        sourcing = ApolloSourcing(leads: stores.leads, ingestor: stores.ingestor)
        enrollment = EnrollmentService(
            enrollments: stores.enrollments, suppressions: stores.suppressions,
            verifications: stores.emailVerifications, jobs: stores.jobs)
        engagement = EngagementRecorder(engagement: stores.engagement, sequences: stores.sequences)
        messageEvents = MessageEventIntake(
            events: stores.messageEvents, suppressions: stores.suppressions, engagement: engagement)
        phoneDelivery = ApolloPhoneDelivery(
            webhooks: stores.webhooks, leads: stores.leads, ingestor: stores.ingestor, phoneReveals: stores.phoneReveals
        )
        hubspotChanges = HubSpotContactChanges(
            webhooks: stores.webhooks, syncStore: stores.sync, leads: stores.leads, registry: registry)
        inboundLeads = InboundLeadIntake(hooks: stores.inboundHooks, ingestor: stores.ingestor)

        let enrichBatch = EnrichmentBatchJob(
            store: stores.enrichment, leads: stores.leads, companies: stores.companies, ingestor: stores.ingestor,
            phoneReveals: stores.phoneReveals,
            providers: { name, run in try await EnrichmentProviders.named(name, for: run, registry: registry) },
            cacheTTL: settings.enrichmentCacheTTL, logger: logger)
        let syncBatch = HubSpotSyncBatchJob(
            store: stores.sync, leads: stores.leads, companies: stores.companies, accounts: stores.crmAccounts,
            registry: registry, logger: logger)
        let wakeups = JobWakeups()
        scenarios = ScenarioService(
            database: database, store: stores.scenarios, events: stores.automationEvents, jobs: stores.jobs,
            runner: PlatformModules.runner(
                PlatformModules.Dependencies(
                    database: database, leads: stores.leads, companies: stores.companies, ingestor: stores.ingestor,
                    enrichment: stores.enrichment, enrichBatch: enrichBatch, sync: stores.sync, syncBatch: syncBatch,
                    sequences: stores.sequences, enrollment: enrollment, dataStoreRecords: stores.dataStoreRecords,
                    registry: registry, verification: emailVerification,
                    probesMailboxes: { [workspaces = stores.workspaces, probing = settings.smtpProbe != nil] id in
                        guard probing, let workspace = try await workspaces.find(id: id) else { return false }
                        return try await Self.probesMailboxes(of: workspace, probing: probing, workspaces: workspaces)
                    })),
            completions: ScenarioRunCompletions(), incompletes: stores.scenarioIncompletes,
            effects: stores.scenarioEffects, limits: stores.scenarioLimits, wake: { await wakeups.signal() },
            time: time)
        scenarioHooks = ScenarioHookRunner(
            scenarios: scenarios, responseTimeout: .seconds(40), runsInline: settings.workers > 0)
        var outreachOptions = settings.outreach
        outreachOptions.publicURL = outreachOptions.publicURL ?? settings.publicURL
        outreachOptions.masterKey = outreachOptions.masterKey ?? settings.masterKey
        outreach = OutreachDispatcher(
            database: database,
            stores: OutreachDispatcher.Stores(
                enrollments: stores.enrollments, messages: stores.messages, sequences: stores.sequences,
                leads: stores.leads, companies: stores.companies, suppressions: stores.suppressions,
                senders: stores.senders),
            registry: registry,
            transport: messageTransport
                ?? VendorMessageTransport(registry: registry, publicURL: outreachOptions.publicURL, time: time),
            options: outreachOptions, ids: ids, time: time, logger: logger)

        handlers = JobHandlers.all(
            JobHandlers.Dependencies(
                database: database, stores: stores, registry: registry, settings: settings, time: time,
                enrichBatch: enrichBatch, syncBatch: syncBatch, sync: sync, sourcing: sourcing,
                scenarios: scenarios, outreach: outreach, deduplication: deduplication, logger: logger))
        var workerOptions = JobWorker.Options()
        workerOptions.queues = JobHandlers.queues
        workerOptions.concurrency = max(1, settings.workers)
        workerOptions.lease = settings.jobLease
        // With notifications the poll is only a safety net.
        if settings.postgresURL != nil { workerOptions.idleDelay = .seconds(5) }
        jobNotifications = settings.postgresURL.map {
            JobNotificationListener(postgresURL: $0, wakeups: wakeups, logger: logger)
        }
        worker = JobWorker(
            queue: stores.jobs, handlers: handlers, options: workerOptions, wakeups: wakeups, metrics: jobMetrics,
            logger: logger)
    }

    /// What `/metrics` shows: provider calls, jobs run and messages sent in this process, and the queue as the
    /// database holds it.
    public var metricsSources: [any MetricsSource] {
        [providerMetrics, jobMetrics, outreach.metrics, QueueDepthMetrics(queue: stores.jobs)]
    }

    /// Whether this process runs jobs (`leadgen serve --no-workers` does not).
    public var runsJobs: Bool { settings.workers > 0 }

    /// Saves the recurring jobs; each process may do it, each schedule is saved once.
    public func prepareSchedules() async throws {
        try await RecurringJobs.save(to: stores.schedules)
    }

    /// The worker, the schedule ticker, and on PostgreSQL the listener that wakes the worker.
    public var jobServices: [any Service] {
        [worker, JobScheduleRunner(scheduler: stores.schedules, logger: logger)]
            + (jobNotifications.map { [$0] } ?? [])
    }

    /// Whether verification probes the mailboxes of `workspace`: only when the operator made the probe available
    /// (`LEADGEN_SMTP_PROBE=1`, with its sender); then for the default workspace, and for any other that turned
    /// it on (`leadgen verify probing on`).
    public func probesMailboxes(of workspace: Workspace) async throws -> Bool {
        try await Self.probesMailboxes(
            of: workspace, probing: settings.smtpProbe != nil, workspaces: stores.workspaces)
    }

    static func probesMailboxes(of workspace: Workspace, probing: Bool, workspaces: WorkspaceStore) async throws
        -> Bool
    {
        guard probing else { return false }
        if workspace.slug == "default" { return true }
        return try await workspaces.probesMailboxes(workspace.id)
    }

    /// The DNS client verification asks: the configured server, else resolv.conf's first nameserver, else
    /// this machine's port 53. Query ids are random: they are what a spoofed answer has to guess.
    static func dnsClient(_ configured: DNSServerAddress?) -> DNSClient {
        let resolvConf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        let fallback = DNSServerAddress("127.0.0.1:53") ?? configured
        let server = configured ?? DNSServerAddress.firstNameserver(inResolvConf: resolvConf) ?? fallback
        return DNSClient(server: server, nextID: { UInt16.random(in: .min ... .max) })
    }
}
