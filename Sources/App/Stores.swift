import Foundation
import LeadgenCore
import Storage

/// Every store, built once over one database with one clock and one id source. Nothing outside this file
/// (and the stores' own tests) builds a store: a store built elsewhere would bring its own clock with it.
public struct Stores: Sendable {
    // Leads, companies and where they came from.
    public let leads: LeadStore
    public let companies: CompanyStore
    /// Writes leads: merges each with the one it duplicates.
    public let ingestor: LeadIngestor
    public let imports: ImportStore
    public let importFiles: ImportFileStore
    /// Leads merged into others by fuzzy de-duplication, and how to undo it.
    public let leadMerges: LeadMergeStore
    /// The pairs de-duplication found alike: the review queue and "not a duplicate".
    public let duplicatePairs: DuplicatePairStore

    // Workspaces, people and their access.
    public let workspaces: WorkspaceStore
    public let users: UserStore
    public let sessions: SessionStore
    public let loginThrottle: LoginThrottleStore
    public let apiKeys: APIKeyStore
    /// Each workspace's vendor credentials, sealed with the master key.
    public let connections: ConnectionStore

    // Background work.
    public let jobs: JobQueue
    public let schedules: JobScheduler

    // Enrichment, sourcing and CRM sync.
    public let enrichment: EnrichmentStore
    /// Mobile numbers asked of Apollo and what became of them.
    public let phoneReveals: PhoneRevealStore
    public let savedSearches: SavedSearchStore
    public let sync: SyncStore
    /// Which CRM account each workspace's connection reaches (the HubSpot portal).
    public let crmAccounts: CRMAccountStore
    /// Capability tokens in providers' callback URLs, and the deliveries already applied.
    public let webhooks: WebhookStore

    // Scenarios.
    public let scenarios: ScenarioStore
    public let scenarioEffects: ScenarioEffectStore
    public let scenarioIncompletes: ScenarioIncompleteStore
    public let scenarioLimits: ScenarioLimitsStore
    public let automationEvents: AutomationEventStore
    public let dataStoreRecords: DataStoreRecords

    // Outgoing webhooks.
    /// The URLs each workspace sends its events to, with their signing secrets.
    public let webhookEndpoints: WebhookEndpointStore
    /// The messages owed to those endpoints and every attempt to deliver them.
    public let webhookMessages: WebhookMessageStore
    /// The URLs form tools post leads to.
    public let inboundHooks: InboundHookStore
    /// What verification found out about each address.
    public let emailVerifications: EmailVerificationStore

    // Outreach.
    public let sequences: SequenceStore
    public let sequenceStats: SequenceStatsStore
    public let enrollments: EnrollmentStore
    public let messages: MessageStore
    public let messageEvents: MessageEventStore
    public let engagement: MessageEngagementStore
    public let senders: SenderStore
    public let suppressions: SuppressionStore

    /// `masterKey` seals the connections; without it they cannot be saved or read.
    public init(database: LeadgenDatabase, ids: IDGenerator, time: TimeSource, masterKey: String?) {
        leads = LeadStore(database: database, ids: ids, time: time)
        companies = CompanyStore(database: database)
        ingestor = LeadIngestor(database: database, ids: ids, time: time)
        imports = ImportStore(database: database, ids: ids, time: time)
        importFiles = ImportFileStore(database: database)
        leadMerges = LeadMergeStore(database: database, ids: ids, time: time)
        duplicatePairs = DuplicatePairStore(database: database, time: time)

        workspaces = WorkspaceStore(database: database, ids: ids, time: time)
        users = UserStore(database: database, ids: ids, time: time)
        sessions = SessionStore(database: database, time: time)
        loginThrottle = LoginThrottleStore(database: database, time: time)
        apiKeys = APIKeyStore(database: database, ids: ids, time: time)
        connections = ConnectionStore(database: database, box: masterKey.map(SecretBox.init(masterKey:)), time: time)

        jobs = JobQueue(database: database, ids: ids, time: time)
        schedules = JobScheduler(database: database, queue: jobs, time: time)

        enrichment = EnrichmentStore(database: database, ids: ids, time: time)
        phoneReveals = PhoneRevealStore(database: database, time: time)
        savedSearches = SavedSearchStore(database: database, ids: ids, time: time)
        sync = SyncStore(database: database, ids: ids, time: time)
        crmAccounts = CRMAccountStore(database: database, time: time)
        webhooks = WebhookStore(database: database, time: time)

        scenarios = ScenarioStore(database: database, ids: ids, time: time)
        scenarioEffects = ScenarioEffectStore(database: database, time: time)
        scenarioIncompletes = ScenarioIncompleteStore(database: database, ids: ids, time: time)
        scenarioLimits = ScenarioLimitsStore(database: database)
        automationEvents = AutomationEventStore(database: database, ids: ids, time: time)
        dataStoreRecords = DataStoreRecords(database: database, time: time)

        webhookEndpoints = WebhookEndpointStore(
            database: database, box: masterKey.map(SecretBox.init(masterKey:)), ids: ids, time: time)
        webhookMessages = WebhookMessageStore(database: database, ids: ids, time: time)
        inboundHooks = InboundHookStore(database: database, ids: ids, time: time)
        emailVerifications = EmailVerificationStore(database: database, time: time)

        sequences = SequenceStore(database: database, ids: ids, time: time)
        sequenceStats = SequenceStatsStore(database: database)
        enrollments = EnrollmentStore(database: database, ids: ids, time: time)
        messages = MessageStore(database: database, ids: ids, time: time)
        messageEvents = MessageEventStore(database: database, ids: ids, time: time)
        engagement = MessageEngagementStore(database: database, ids: ids, time: time)
        senders = SenderStore(database: database, ids: ids, time: time)
        suppressions = SuppressionStore(database: database, ids: ids, time: time)
    }
}
