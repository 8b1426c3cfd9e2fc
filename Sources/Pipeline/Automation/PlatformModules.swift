import Automation
import Foundation
import LeadgenCore
import Providers
import Storage

/// Every module the platform adds to the engine's own, by the name a blueprint calls it: Leadgen's own
/// (`leadgen:*`), the workspace's data stores (`datastore:*`) and the vendor apps. The one table of them.
public enum PlatformModules {
    /// What the modules work with.
    public struct Dependencies: Sendable {
        public var database: LeadgenDatabase
        public var leads: LeadStore
        public var companies: CompanyStore
        public var ingestor: LeadIngestor
        public var enrichment: EnrichmentStore
        public var enrichBatch: EnrichmentBatchJob
        public var sync: SyncStore
        public var syncBatch: HubSpotSyncBatchJob
        public var sequences: SequenceStore
        public var enrollment: EnrollmentService
        public var dataStoreRecords: DataStoreRecords
        public var registry: ProviderRegistry
        public var verification: EmailVerificationRun
        /// Whether a workspace's addresses may be probed over SMTP.
        public var probesMailboxes: @Sendable (WorkspaceID) async throws -> Bool

        public init(
            database: LeadgenDatabase, leads: LeadStore, companies: CompanyStore, ingestor: LeadIngestor,
            enrichment: EnrichmentStore, enrichBatch: EnrichmentBatchJob, sync: SyncStore,
            syncBatch: HubSpotSyncBatchJob, sequences: SequenceStore, enrollment: EnrollmentService,
            dataStoreRecords: DataStoreRecords, registry: ProviderRegistry, verification: EmailVerificationRun,
            probesMailboxes: @escaping @Sendable (WorkspaceID) async throws -> Bool
        ) {
            self.database = database
            self.leads = leads
            self.companies = companies
            self.ingestor = ingestor
            self.enrichment = enrichment
            self.enrichBatch = enrichBatch
            self.sync = sync
            self.syncBatch = syncBatch
            self.sequences = sequences
            self.enrollment = enrollment
            self.dataStoreRecords = dataStoreRecords
            self.registry = registry
            self.verification = verification
            self.probesMailboxes = probesMailboxes
        }
    }

    public static func all(_ d: Dependencies) -> [String: any NativeModule] {
        let (leads, companies) = (d.leads, d.companies)
        let records = d.dataStoreRecords
        let hubspot = AppModules.HubSpotUpsertContact(registry: d.registry)
        return [
            "leadgen:SearchLeads": LeadgenModules.SearchLeads(leads: leads, companies: companies),
            "leadgen:GetLead": LeadgenModules.GetLead(leads: leads, companies: companies),
            "leadgen:CreateLead": LeadgenModules.CreateLead(leads: leads, companies: companies, ingestor: d.ingestor),
            "leadgen:AddTag": LeadgenModules.Edit(leads: leads, companies: companies, kind: .addTag),
            "leadgen:ChangeStatus": LeadgenModules.Edit(leads: leads, companies: companies, kind: .changeStatus),
            "leadgen:EnrichLead": PipelineModules.EnrichLead(
                database: d.database, store: d.enrichment, batch: d.enrichBatch, leads: leads, companies: companies),
            "leadgen:SyncLead": PipelineModules.SyncLead(
                database: d.database, store: d.sync, batch: d.syncBatch, leads: leads, companies: companies),
            "leadgen:EnrollInSequence": EnrollInSequenceModule(
                sequences: d.sequences, leads: leads, service: d.enrollment),
            "leadgen:VerifyEmail": VerifyEmailModule(verification: d.verification, probes: d.probesMailboxes),

            "datastore:AddRecord": DataStoreModules.AddRecord(records: records),
            "datastore:GetRecord": DataStoreModules.GetRecord(records: records),
            "datastore:ExistRecord": DataStoreModules.ExistRecord(records: records),
            "datastore:DeleteRecord": DataStoreModules.DeleteRecord(records: records),
            "datastore:SearchRecord": DataStoreModules.SearchRecord(records: records),

            "slack:CreateMessage": AppModules.SlackCreateMessage(registry: d.registry),
            "apollo:makeApiCall": AppModules.ApolloAPICall(registry: d.registry),
            "hubspotcrm:createUpdateContact2020": hubspot,
            "hubspotcrm:upsertAContact": hubspot,
            "make:RunScenario": AppModules.MakeRunScenario(registry: d.registry),
            "make:CallWebhook": AppModules.MakeCallWebhook(registry: d.registry),
        ]
    }

    /// The engine with its own modules (HTTP through the outbound URL policy, with the workspace's
    /// keychains) and the platform's, and the platform-event trigger.
    public static func runner(_ d: Dependencies) -> ScenarioRunner {
        ScenarioRunner(
            modules: AutomationModules.all(
                http: GuardedHTTPClient(policy: d.registry.outbound),
                keychains: ConnectionKeychains(connections: d.registry.connections)
            ).merging(all(d)) { $1 },
            triggers: PlatformEventTrigger.modules)
    }
}
