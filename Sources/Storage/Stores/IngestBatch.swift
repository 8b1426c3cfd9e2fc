import Foundation
import LeadgenCore
import SQLKit

/// The working state of one ingest transaction: what was loaded, what changed, and what to write.
struct IngestBatch {
    let items: [IngestItem]
    let hashes: [String]
    let workspace: WorkspaceID
    let merger: LeadMerger
    let ids: IDGenerator
    let now: Date
    let actor: String?

    var knownHashes: [String: LeadID]
    var keyOwners: [MatchKey: LeadID]
    var leads: [LeadID: Lead]
    var companies: [CompanyID: Company]
    var companyByDomain: [String: CompanyID] = [:]
    var companyByApolloID: [String: CompanyID] = [:]
    var companyByName: [String: CompanyID] = [:]

    var newLeads: Set<LeadID> = []
    var dirtyLeads: Set<LeadID> = []
    var newCompanies: Set<CompanyID> = []
    var dirtyCompanies: Set<CompanyID> = []
    var newIdentities: [(MatchKey, LeadID)] = []
    var newTags: [(LeadID, String)] = []
    var sources: [(LeadID, LeadSourceRef, String)] = []
    var events: [LeadEvent] = []

    static func load(
        items: [IngestItem], hashes: [String], workspace: WorkspaceID, db: any SQLDatabase, merger: LeadMerger,
        ids: IDGenerator, now: Date, actor: String?
    ) async throws -> IngestBatch {
        let reader = IngestReader(db: db, workspace: workspace)
        let known = try await reader.knownHashes(hashes)
        let pending = items.indices.filter { known[hashes[$0]] == nil }
        let keys = Set(pending.flatMap { items[$0].input.fields.matchKeys })
        let owners = try await reader.owners(of: keys)
        let leads = try await reader.leads(Set(owners.values))
        let companyInputs = pending.compactMap { items[$0].input.company }
        let companies = try await reader.companies(
            matching: companyInputs, plus: Set(leads.values.compactMap(\.companyID)))
        var batch = IngestBatch(
            items: items, hashes: hashes, workspace: workspace, merger: merger, ids: ids, now: now, actor: actor,
            knownHashes: known, keyOwners: owners, leads: leads, companies: companies)
        for company in companies.values { batch.index(company) }
        return batch
    }

    /// Matches and merges every item in memory, in order; later items see what earlier ones created.
    mutating func apply() -> [IngestOutcome] {
        var outcomes: [IngestOutcome] = []
        outcomes.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let hash = hashes[index]
            if let leadID = knownHashes[hash] {
                outcomes.append(.unchanged(leadID))
                continue
            }
            let companyID = item.input.company.flatMap { resolveCompany($0) }
            let outcome = resolveLead(item, companyID: companyID)
            knownHashes[hash] = outcome.leadID
            sources.append((outcome.leadID, item.source, hash))
            outcomes.append(outcome)
        }
        return outcomes
    }

    private mutating func resolveLead(_ item: IngestItem, companyID: CompanyID?) -> IngestOutcome {
        let input = item.input
        guard let leadID = owner(of: input.fields.matchKeys), var lead = leads[leadID] else {
            let lead = Lead(
                id: LeadID(rawValue: ids()), workspaceID: workspace, companyID: companyID, fields: input.fields,
                status: input.status ?? .new, createdAt: now, updatedAt: now)
            leads[lead.id] = lead
            newLeads.insert(lead.id)
            claimIdentities(of: lead)
            newTags += lead.fields.tags.map { (lead.id, $0) }
            let kind: LeadEvent.Kind = item.source.kind == "csv" ? .imported : .created
            events.append(event(lead.id, kind, detail: item.source.detail))
            return .created(lead.id)
        }
        var (fields, changes) = merger.merge(input.fields, into: lead.fields)
        if let status = input.status, status != lead.status {
            changes.append(FieldChange(field: "status", oldValue: lead.status.rawValue, newValue: status.rawValue))
            lead.status = status
        }
        if let companyID, companyID != lead.companyID, lead.companyID == nil || merger.policy == .newerWins {
            changes.append(
                FieldChange(field: "company_id", oldValue: lead.companyID?.rawValue, newValue: companyID.rawValue))
            lead.companyID = companyID
        }
        guard !changes.isEmpty else { return .unchanged(leadID) }
        let addedTags = fields.tags.filter { !lead.fields.tags.contains($0) }
        lead.fields = fields
        lead.updatedAt = now
        leads[leadID] = lead
        if !newLeads.contains(leadID) { dirtyLeads.insert(leadID) }
        claimIdentities(of: lead)
        newTags += addedTags.map { (leadID, $0) }
        events.append(event(leadID, .merged, detail: item.source.detail))
        events += changes.map {
            event(
                leadID, .fieldChanged, field: $0.field, old: $0.oldValue, new: $0.newValue, detail: item.source.detail)
        }
        return .merged(leadID)
    }

    /// The lead holding the strongest of the keys.
    private func owner(of keys: [MatchKey]) -> LeadID? {
        for key in keys.sorted(by: { $0.kind < $1.kind }) {
            if let owner = keyOwners[key] { return owner }
        }
        return nil
    }

    /// Registers the lead's keys that no other lead holds yet; a key already held stays with its holder.
    private mutating func claimIdentities(of lead: Lead) {
        for key in lead.fields.matchKeys where keyOwners[key] == nil {
            keyOwners[key] = lead.id
            newIdentities.append((key, lead.id))
        }
    }

    private mutating func resolveCompany(_ input: CompanyFields) -> CompanyID? {
        guard !input.isEmpty else { return nil }
        let existing =
            input.domain.flatMap { companyByDomain[$0.value] }
            ?? input.apolloOrganizationID.flatMap { companyByApolloID[$0] }
            ?? (input.domain == nil ? input.name.flatMap { companyByName[$0.lowercased()] } : nil)
        guard let id = existing, var company = companies[id] else {
            let company = Company(
                id: CompanyID(rawValue: ids()), workspaceID: workspace, fields: input, createdAt: now, updatedAt: now)
            companies[company.id] = company
            newCompanies.insert(company.id)
            index(company)
            return company.id
        }
        // A domain already held by another company is not moved; the domain index stays unique.
        var incoming = input
        if let domain = incoming.domain, let holder = companyByDomain[domain.value], holder != id {
            incoming.domain = nil
        }
        let (fields, changes) = merger.merge(incoming, into: company.fields)
        guard !changes.isEmpty else { return id }
        company.fields = fields
        company.updatedAt = now
        companies[id] = company
        if !newCompanies.contains(id) { dirtyCompanies.insert(id) }
        index(company)
        return id
    }

    private mutating func index(_ company: Company) {
        if let domain = company.fields.domain { companyByDomain[domain.value] = company.id }
        if let apolloID = company.fields.apolloOrganizationID { companyByApolloID[apolloID] = company.id }
        if let name = company.fields.name {
            companyByName[name.lowercased()] = companyByName[name.lowercased()] ?? company.id
        }
    }

    private func event(
        _ lead: LeadID, _ kind: LeadEvent.Kind, field: String? = nil, old: String? = nil, new: String? = nil,
        detail: String?
    ) -> LeadEvent {
        LeadEvent(
            id: ids(), leadID: lead, kind: kind, field: field, oldValue: old, newValue: new, detail: detail,
            actor: actor, createdAt: now)
    }
}
