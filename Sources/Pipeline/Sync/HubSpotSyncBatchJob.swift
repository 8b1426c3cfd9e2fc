import Crypto
import Foundation
import LeadgenCore
import Logging
import Providers
import Storage
import Synchronization

/// Sends one batch of up to 100 leads to HubSpot: their companies first (upserted by Leadgen's company id,
/// a unique property, because HubSpot does not de-duplicate companies by domain), then the contacts (updated
/// by HubSpot id when known, else upserted by e-mail), then the contact→company associations. Every call is
/// an idempotent write, so a retry after a crash or a timeout creates nothing twice; a lead whose content is
/// what was last sent is not sent again.
public struct HubSpotSyncBatchJob: JobHandler {
    public static let kind = "hubspot_sync_batch"
    static let provider = "hubspot"
    /// The unique company property Leadgen creates in the portal to upsert companies by.
    public static let companyKey = HubSpotPropertyDefinition(
        name: "leadgen_company_id", label: "Leadgen company ID", groupName: "companyinformation", hasUniqueValue: true)

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public var seq: Int
    }

    let store: SyncStore
    let leads: LeadStore
    let companies: CompanyStore
    let accounts: CRMAccountStore
    let registry: ProviderRegistry
    let logger: Logger
    /// Workspaces whose portal has the company key property, checked once per process.
    private let preparedPortals = PreparedPortals()

    public init(
        store: SyncStore, leads: LeadStore, companies: CompanyStore, accounts: CRMAccountStore,
        registry: ProviderRegistry, logger: Logger
    ) {
        self.store = store
        self.leads = leads
        self.companies = companies
        self.accounts = accounts
        self.registry = registry
        self.logger = logger
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        try await process(runID: arguments.runID, seq: arguments.seq)
    }

    /// Sends the batch `seq` of the run; a batch already done is left alone.
    func process(runID: String, seq: Int) async throws {
        guard let run = try await store.run(runID), let batch = try await store.batch(runID, seq: seq), !batch.done
        else { return }
        let workspace = WorkspaceID(rawValue: run.workspaceID)
        let stored = try await leads.get(batch.leads, in: workspace).filter { $0.fields.email != nil }
        let client: HubSpotClient
        let mapping: HubSpotFieldMapping
        do {
            client = try await registry.hubspot(for: workspace)
            mapping = try HubSpotFieldMapping.parse(
                try await registry.connectionSettings(Self.provider, for: workspace)["field_mapping"])
        } catch {
            try await store.failRun(run.id, error: "\(error)")
            return try await finish(run, seq, workspace, stored.map { fail($0, "\(error)") })
        }
        await learnPortal(workspace, client)
        do {
            let companyIDs = try await syncCompanies(of: stored, workspace: workspace, client: client, mapping: mapping)
            let outcomes = try await syncContacts(
                stored, companyIDs: companyIDs, workspace: workspace, client: client, mapping: mapping)
            try await finish(run, seq, workspace, outcomes)
        } catch let error as HubSpotError {
            switch error {
            case .rateLimited, .unavailable:
                throw RetryLater(error.description, after: error.retryDelay)
            case .unauthorized:
                try await store.failRun(run.id, error: error.description)
                try await finish(run, seq, workspace, stored.map { fail($0, error.description) })
            case .conflict, .rejected:
                try await finish(run, seq, workspace, stored.map { fail($0, error.description) })
            }
        }
    }

    private func finish(_ run: SyncRun, _ seq: Int, _ workspace: WorkspaceID, _ outcomes: [SyncOutcome]) async throws {
        try await store.finish(
            runID: run.id, seq: seq, workspace: workspace, provider: Self.provider, outcomes: outcomes)
    }

    private func fail(_ lead: Lead, _ message: String) -> SyncOutcome {
        SyncOutcome(
            record: CRMRecord(localID: lead.id.rawValue, remoteID: nil, contentHash: nil, lastError: message),
            kind: .failed)
    }

    /// Upserts the companies whose content changed and returns every company's HubSpot id.
    private func syncCompanies(
        of stored: [Lead], workspace: WorkspaceID, client: HubSpotClient, mapping: HubSpotFieldMapping
    ) async throws -> [CompanyID: String] {
        let ids = Set(stored.compactMap(\.companyID))
        guard !ids.isEmpty else { return [:] }
        let companyRows = try await companies.get(ids, in: workspace)
        let known = try await store.records(
            provider: Self.provider, objectType: "company", localIDs: ids.map(\.rawValue))
        var remote: [CompanyID: String] = [:]
        var inputs: [HubSpotInput] = []
        var hashes: [String: String] = [:]
        for (id, company) in companyRows {
            let properties = mapping.companyProperties(company)
            let hash = Self.digest(properties)
            if let record = known[id.rawValue], let remoteID = record.remoteID, record.contentHash == hash {
                remote[id] = remoteID
                continue
            }
            hashes[id.rawValue] = hash
            inputs.append(HubSpotInput(id: id.rawValue, properties: properties))
        }
        guard !inputs.isEmpty else { return remote }
        try await preparePortal(workspace, client)
        let result = try await client.upsert(
            "companies", idProperty: Self.companyKey.name, inputs.sorted { $0.id < $1.id })
        var records: [CRMRecord] = []
        for object in result.results {
            guard let localID = object.property(Self.companyKey.name) else { continue }
            remote[CompanyID(rawValue: localID)] = object.id
            records.append(CRMRecord(localID: localID, remoteID: object.id, contentHash: hashes[localID]))
        }
        for error in result.errors {
            for id in error.ids {
                records.append(CRMRecord(localID: id, remoteID: nil, contentHash: nil, lastError: error.message))
            }
        }
        try await store.save(records, provider: Self.provider, objectType: "company", workspace: workspace)
        return remote
    }

    private func syncContacts(
        _ stored: [Lead], companyIDs: [CompanyID: String], workspace: WorkspaceID, client: HubSpotClient,
        mapping: HubSpotFieldMapping
    ) async throws -> [SyncOutcome] {
        let companyRows = try await companies.get(Set(stored.compactMap(\.companyID)), in: workspace)
        let known = try await store.records(
            provider: Self.provider, objectType: "lead", localIDs: stored.map(\.id.rawValue))
        var outcomes: [LeadID: SyncOutcome] = [:]
        var updates: [HubSpotInput] = []
        var upserts: [HubSpotInput] = []
        var hashes: [LeadID: String] = [:]
        var leadByEmail: [String: Lead] = [:]
        var leadByRemote: [String: Lead] = [:]
        for lead in stored {
            let company = lead.companyID.flatMap { companyRows[$0] }
            let properties = mapping.contactProperties(lead, company: company)
            let companyRemote = lead.companyID.flatMap { companyIDs[$0] } ?? ""
            let hash = Self.digest(properties.merging(["~company": companyRemote]) { $1 })
            hashes[lead.id] = hash
            let record = known[lead.id.rawValue]
            if let record, let remoteID = record.remoteID, record.contentHash == hash, record.lastError == nil {
                outcomes[lead.id] = SyncOutcome(
                    record: CRMRecord(localID: lead.id.rawValue, remoteID: remoteID, contentHash: hash),
                    kind: .unchanged)
            } else if let remoteID = record?.remoteID {
                leadByRemote[remoteID] = lead
                updates.append(HubSpotInput(id: remoteID, properties: properties))
            } else if let email = lead.fields.email?.value {
                leadByEmail[email] = lead
                upserts.append(HubSpotInput(id: email, properties: properties))
            }
        }
        var written: [(lead: Lead, remoteID: String)] = []
        if !updates.isEmpty {
            let result = try await client.update("contacts", updates)
            for object in result.results {
                guard let lead = leadByRemote[object.id] else { continue }
                written.append((lead, object.id))
                outcomes[lead.id] = SyncOutcome(
                    record: CRMRecord(localID: lead.id.rawValue, remoteID: object.id, contentHash: hashes[lead.id]),
                    kind: .updated)
            }
            for error in result.errors {
                for remoteID in error.ids {
                    guard let lead = leadByRemote[remoteID] else { continue }
                    if error.category == "OBJECT_NOT_FOUND", let email = lead.fields.email?.value {
                        // Deleted in HubSpot: create it again by e-mail.
                        leadByEmail[email] = lead
                        let properties = updates.first { $0.id == remoteID }?.properties ?? [:]
                        upserts.append(HubSpotInput(id: email, properties: properties))
                    } else {
                        outcomes[lead.id] = fail(lead, error.message)
                    }
                }
            }
        }
        if !upserts.isEmpty {
            let result = try await client.upsert("contacts", idProperty: "email", upserts)
            for object in result.results {
                guard let email = object.property("email")?.lowercased(), let lead = leadByEmail[email] else {
                    continue
                }
                written.append((lead, object.id))
                outcomes[lead.id] = SyncOutcome(
                    record: CRMRecord(localID: lead.id.rawValue, remoteID: object.id, contentHash: hashes[lead.id]),
                    kind: object.new == false ? .updated : .created)
            }
            for error in result.errors {
                for email in error.ids {
                    guard let lead = leadByEmail[email.lowercased()] else { continue }
                    outcomes[lead.id] = fail(lead, error.message)
                }
            }
        }
        let pairs = written.compactMap { item -> (contactID: String, companyID: String)? in
            guard let companyID = item.lead.companyID.flatMap({ companyIDs[$0] }) else { return nil }
            return (item.remoteID, companyID)
        }
        if !pairs.isEmpty {
            let result = try await client.associateContactsWithCompanies(pairs)
            for error in result.errors {
                logger.warning("hubspot association failed", metadata: ["error": "\(error.message)"])
            }
        }
        return stored.map {
            outcomes[$0.id] ?? fail($0, "HubSpot answered without this contact")
        }
    }

    private func preparePortal(_ workspace: WorkspaceID, _ client: HubSpotClient) async throws {
        guard !preparedPortals.contains(workspace.rawValue) else { return }
        try await client.ensureProperty("companies", Self.companyKey)
        preparedPortals.insert(workspace.rawValue)
    }

    /// Records which portal the workspace's token reaches, so that HubSpot's webhooks (which name the portal)
    /// find this workspace's contacts and no other's. Asked of HubSpot only when the token (or the API address)
    /// differs from the one the recorded portal was learned with; a failure does not stop the sync (it is
    /// tried again with the next batch), but webhooks are not applied until it succeeds.
    private func learnPortal(_ workspace: WorkspaceID, _ client: HubSpotClient) async {
        let credential = client.credentialFingerprint
        do {
            if try await accounts.account(provider: Self.provider, workspace: workspace)?.credential == credential {
                return
            }
            let details = try await client.accountDetails()
            try await accounts.record(
                String(details.portalId), provider: Self.provider, workspace: workspace, credential: credential)
        } catch {
            logger.warning(
                "cannot learn the HubSpot portal id; webhooks are not applied to this workspace until it is known",
                metadata: ["workspace": "\(workspace.rawValue)", "error": "\(error)"])
        }
    }

    /// A digest of the properties, independent of their order.
    static func digest(_ properties: [String: String]) -> String {
        let text = properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1F}")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The workspaces whose HubSpot portal is known to have Leadgen's company key property.
final class PreparedPortals: Sendable {
    private let names = Mutex<Set<String>>([])
    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
    func insert(_ name: String) { names.withLock { _ = $0.insert(name) } }
}
