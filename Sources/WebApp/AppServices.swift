import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Sandbox
import ServiceLifecycle
import Storage

/// Everything the web application uses, built once from the database and configuration and passed in.
public struct AppServices: Sendable {
    public let database: LeadgenDatabase
    /// The clock and the id source every store and service built here is given.
    public let time: TimeSource
    public let ids: IDGenerator
    /// `LEADGEN_MASTER_KEY`: seals connections and signs unsubscribe links.
    public let masterKey: String?
    public let logger: Logger
    public let leads: LeadStore
    public let companies: CompanyStore
    public let ingestor: LeadIngestor
    public let imports: ImportStore
    public let jobs: JobQueue
    /// Runs queued jobs; `leadgen serve` runs it beside the server unless told not to, `leadgen worker` alone.
    public let worker: JobWorker
    let importSubmitter: ImportSubmitter
    /// On PostgreSQL, wakes this process's worker when any process enqueues a job.
    public let jobNotifications: JobNotificationListener?
    public let scheduler: JobScheduler
    public let apiKeys: APIKeyStore
    public let sessions: SessionStore
    public let accounts: AccountService
    public let workspaces: WorkspaceStore
    let uploads: UploadReceiver
    /// Enrichment, sourcing and CRM sync, and the provider clients they use.
    public let pipeline: PipelineJobs
    public let connections: ConnectionStore
    public let providerMetrics: ProviderMetrics
    /// In sandbox mode, the fake providers served under `/sandbox`.
    public let sandbox: Sandbox?
    public let publicURL: URL?
    /// Where scenario webhooks are reached, when not at `publicURL` (`LEADGEN_HOOKS_URL`).
    public let hooksURL: URL?
    /// The bearer token `/metrics` asks for (`LEADGEN_METRICS_TOKEN`); without it, loopback clients only.
    public let metricsToken: String?
    /// Proxies whose forwarded headers are believed, besides this machine (`LEADGEN_TRUSTED_PROXIES`).
    public let trustedProxies: [IPRange]
    /// Whether this process runs jobs (`leadgen serve --no-workers` does not).
    public let runsJobs: Bool

    public init(
        database: LeadgenDatabase, logger: Logger, maxBodySize: Int, workers: Int = 4, postgresURL: String? = nil,
        ids: IDGenerator,
        time: TimeSource, outbound: OutboundURLPolicy, uploadDirectory: URL = FileManager.default.temporaryDirectory,
        providers: ProviderSettings = ProviderSettings(), masterKey: String? = nil, enrichmentCacheDays: Int = 30,
        scenarioHistoryDays: Double = 30,
        publicURL: URL? = nil, hooksURL: URL? = nil, metricsToken: String? = nil,
        trustedProxies: [IPRange] = [], sandbox: Sandbox? = nil,
        transport: ProviderTransport? = nil,
        jobLease: TimeInterval = 60,
        outreach: OutreachDispatcher.Options = OutreachDispatcher.Options()
    ) {
        self.database = database
        self.time = time
        self.ids = ids
        self.logger = logger
        self.sandbox = sandbox
        self.publicURL = publicURL
        self.hooksURL = hooksURL
        self.metricsToken = metricsToken
        self.trustedProxies = trustedProxies
        runsJobs = workers > 0
        leads = LeadStore(database: database, ids: ids, time: time)
        companies = CompanyStore(database: database)
        ingestor = LeadIngestor(database: database, ids: ids, time: time)
        imports = ImportStore(database: database, ids: ids, time: time)
        jobs = JobQueue(database: database, ids: ids, time: time)
        scheduler = JobScheduler(database: database, queue: jobs, time: time)
        let files = ImportFileStore(database: database)
        importSubmitter = ImportSubmitter(database: database, imports: imports, files: files, jobs: jobs)
        workspaces = WorkspaceStore(database: database, ids: ids, time: time)
        self.masterKey = masterKey
        connections = ConnectionStore(database: database, box: masterKey.map(SecretBox.init(masterKey:)), time: time)
        let transport = transport ?? ProviderTransport(logger: logger, time: time)
        providerMetrics = transport.metrics
        let registry = ProviderRegistry(
            settings: providers, connections: connections, workspaces: workspaces, transport: transport,
            outbound: outbound)
        let wakeups = JobWakeups()
        pipeline = PipelineJobs(
            database: database, jobs: jobs, registry: registry, ingestor: ingestor, ids: ids, time: time,
            uploadDirectory: uploadDirectory, publicURL: publicURL,
            enrichmentCacheTTL: TimeInterval(enrichmentCacheDays) * 86400,
            scenarioHistoryRetention: scenarioHistoryDays > 0 ? scenarioHistoryDays * 86400 : nil,
            outreach: {
                var options = outreach
                options.masterKey = options.masterKey ?? masterKey
                return options
            }(),
            wake: { await wakeups.signal() }, logger: logger)
        var workerOptions = JobWorker.Options()
        workerOptions.queues = PipelineJobs.queues
        workerOptions.concurrency = max(1, workers)
        workerOptions.lease = jobLease
        // With notifications the poll is only a safety net.
        if postgresURL != nil { workerOptions.idleDelay = .seconds(5) }
        jobNotifications = postgresURL.map {
            JobNotificationListener(postgresURL: $0, wakeups: wakeups, logger: logger)
        }
        worker = JobWorker(
            queue: jobs, handlers: pipeline.handlers, options: workerOptions, wakeups: wakeups, logger: logger)
        apiKeys = APIKeyStore(database: database, ids: ids, time: time)
        sessions = SessionStore(database: database, time: time)
        accounts = AccountService(users: UserStore(database: database, ids: ids, time: time), workspaces: workspaces)
        uploads = UploadReceiver(directory: uploadDirectory, limit: maxBodySize)
    }
}

extension AppServices {
    /// Saves the recurring jobs (HubSpot auto-sync); each process may do it, the schedule is saved once.
    public func prepareSchedules() async throws {
        try await PipelineJobs.scheduleAutoSync(scheduler)
    }

    /// The worker, the schedule ticker, and on PostgreSQL the listener that wakes the worker.
    public var jobServices: [any Service] {
        [worker, JobScheduleRunner(scheduler: scheduler, logger: logger)] + (jobNotifications.map { [$0] } ?? [])
    }
}
