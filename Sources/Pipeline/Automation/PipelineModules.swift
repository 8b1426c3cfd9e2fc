import Automation
import Crypto
import Foundation
import LeadgenCore
import Storage

/// Platform modules that run a pipeline step for one lead inside a scenario: `leadgen:EnrichLead` and
/// `leadgen:SyncLead`. Each does the work inline (no waiting on another worker) through the same run,
/// batch and ledger bookkeeping as `leadgen enrich` and `leadgen sync`, under an id derived from the
/// execution, the module and the lead: a run retried after a crash resumes that same enrichment or sync,
/// so no credit is spent twice and no CRM record is created twice.
enum PipelineModules {
    /// The id of the step's run: the same for the same execution, module and lead.
    static func stepID(_ input: ModuleInput, _ lead: LeadID, _ kind: String) -> String {
        let digest = SHA256.hash(
            data: Data("\(kind)|\(input.run.executionID)|\(input.module.id)|\(lead.rawValue)".utf8))
        return "scn-" + digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Runs a batch job's work as a module: a provider's rate limit is a RateLimitError, anything else a
    /// ConnectionError (the outcome of a call cut off is unknown).
    static func asModuleErrors(_ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch let error as RetryLater {
            throw ModuleError("RateLimitError", error.reason)
        } catch {
            throw ModuleError("ConnectionError", "\(error)")
        }
    }

    static func lead(_ input: ModuleInput, _ leads: LeadStore, _ workspace: WorkspaceID) async throws -> Lead {
        let id = IMLValues.text(input.mapper["id"] ?? .null)
        guard !id.isEmpty else { throw ModuleError("DataError", "id: the lead's id is needed") }
        guard let lead = try await leads.get(LeadID(rawValue: id), in: workspace) else {
            throw ModuleError("DataError", "no lead \(id)")
        }
        return lead
    }

    static func bundle(_ lead: LeadID, _ workspace: WorkspaceID, _ leads: LeadStore, _ companies: CompanyStore)
        async throws -> [String: JSON]
    {
        guard let stored = try await leads.get(lead, in: workspace) else { return ["id": .string(lead.rawValue)] }
        let company = try await stored.companyID.asyncFlatMap { try await companies.get($0, in: workspace) }
        return LeadgenModules.bundle(stored, company).objectValue ?? [:]
    }

    /// `{id, budget}` → the lead after enrichment, with `enrichment: {status, provider, detail, run_id,
    /// from_cache}`; status is enriched, not_found, over_budget, interrupted or failed. `budget` caps the
    /// credits (default: none). A cached answer is used while fresh, as in any run.
    struct EnrichLead: NativeModule {
        let database: LeadgenDatabase
        let store: EnrichmentStore
        let batch: EnrichmentBatchJob
        let leads: LeadStore
        let companies: CompanyStore

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            let lead = try await PipelineModules.lead(input, leads, workspace)
            let budget = input.mapper["budget"].flatMap { IMLValues.isEmpty($0) ? nil : IMLValues.number($0) }
            let runID = PipelineModules.stepID(input, lead.id, "enrich")
            if try await store.run(runID) == nil {
                let selection = EnrichmentSelection(limit: 1, leadIDs: [lead.id.rawValue], includeEnriched: true)
                let store = self.store
                try await database.transaction { db in
                    let run = try await store.createRun(
                        workspace: workspace, selection: selection, providers: ["apollo"], budget: budget, id: runID,
                        on: db)
                    try await store.plan(run, batches: [[lead.id]], on: db)
                }
            }
            try await PipelineModules.asModuleErrors { try await batch.process(runID: runID, seq: 0) }
            var bundle = try await PipelineModules.bundle(lead.id, workspace, leads, companies)
            let run = try await store.run(runID)
            if let outcome = try await store.outcome(of: lead.id, in: workspace), outcome.runID == runID {
                bundle["enrichment"] = .object([
                    "status": .string(outcome.status), "provider": outcome.provider.map(JSON.string) ?? .null,
                    "detail": outcome.detail.map(JSON.string) ?? .null, "run_id": .string(runID),
                    "credits": .double(run?.spent ?? 0), "from_cache": .bool((run?.leadsFromCache ?? 0) > 0),
                ])
            } else {
                bundle["enrichment"] = .object([
                    "status": .string(run?.status == .failed ? "failed" : "not_found"), "run_id": .string(runID),
                    "detail": run?.error.map(JSON.string) ?? .null,
                ])
            }
            if run?.status == .failed {
                throw ModuleError("ConnectionError", run?.error ?? "the enrichment failed")
            }
            return [.object(bundle)]
        }
    }

    /// `{id}` → the lead after it was sent to HubSpot, with `crm: {provider, id, status}`. A lead without an
    /// e-mail, or one HubSpot refuses, is an error (DataError) that an error route can handle.
    struct SyncLead: NativeModule {
        let database: LeadgenDatabase
        let store: SyncStore
        let batch: HubSpotSyncBatchJob
        let leads: LeadStore
        let companies: CompanyStore

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            let lead = try await PipelineModules.lead(input, leads, workspace)
            guard lead.fields.email != nil else {
                throw ModuleError("DataError", "lead \(lead.id.rawValue) has no e-mail, which HubSpot needs")
            }
            let runID = PipelineModules.stepID(input, lead.id, "sync")
            if try await store.run(runID) == nil {
                let store = self.store
                try await database.transaction { db in
                    let run = try await store.createRun(
                        workspace: workspace, provider: "hubspot", scope: .all, id: runID, on: db)
                    try await store.plan(run, batches: [[lead.id]], on: db)
                }
            }
            try await PipelineModules.asModuleErrors { try await batch.process(runID: runID, seq: 0) }
            let record = try await store.records(provider: "hubspot", objectType: "lead", localIDs: [lead.id.rawValue])[
                lead.id.rawValue]
            let run = try await store.run(runID)
            if let error = record?.lastError ?? run?.error {
                throw ModuleError("DataError", error)
            }
            var bundle = try await PipelineModules.bundle(lead.id, workspace, leads, companies)
            let status =
                (run?.leadsCreated ?? 0) > 0 ? "created" : (run?.leadsUpdated ?? 0) > 0 ? "updated" : "unchanged"
            bundle["crm"] = .object([
                "provider": .string("hubspot"), "id": record?.remoteID.map(JSON.string) ?? .null,
                "status": .string(status),
            ])
            return [.object(bundle)]
        }
    }
}
