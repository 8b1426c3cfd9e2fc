import Automation
import Foundation
import LeadgenCore
import Storage

/// The platform's own modules (`leadgen:*`), on the scenario's workspace: search and read leads, create one
/// (merged with the lead store's rules, so a lead is never created twice), tag it, change its status.
enum LeadgenModules {
    static func workspace(_ input: ModuleInput) throws -> WorkspaceID {
        guard let id = input.run.workspaceID else {
            throw ModuleError("InvalidConfigurationError", "leadgen modules need a stored scenario (a workspace)")
        }
        return WorkspaceID(rawValue: id)
    }

    /// A lead as a bundle: the fields a scenario maps, in snake_case.
    static func bundle(_ lead: Lead, _ company: Company?) -> JSON {
        let f = lead.fields
        var fields: [String: JSON] = [
            "id": .string(lead.id.rawValue), "status": .string(lead.status.rawValue),
            "tags": .array(f.tags.map { .string($0) }), "created_at": .string(IMLDates.iso(lead.createdAt)),
            "updated_at": .string(IMLDates.iso(lead.updatedAt)),
            "phones": .array(
                f.phones.map { .object(["type": .string($0.kind.rawValue), "number": .string($0.e164 ?? $0.raw)]) }),
        ]
        let optional: [String: String?] = [
            "email": f.email?.value, "email_status": f.emailStatus?.rawValue, "first_name": f.firstName,
            "last_name": f.lastName, "full_name": f.fullName, "title": f.title, "seniority": f.seniority?.rawValue,
            "linkedin_url": f.linkedinURL?.value, "city": f.city, "state": f.state, "country": f.country?.code,
            "apollo_person_id": f.apolloPersonID, "company_name": company?.fields.name,
            "company_domain": company?.fields.domain?.value,
        ]
        for (key, value) in optional { if let value { fields[key] = .string(value) } }
        return .object(fields)
    }

    static func companies(_ leads: [Lead], _ store: CompanyStore, _ workspace: WorkspaceID) async throws -> [CompanyID:
        Company]
    {
        try await store.get(Set(leads.compactMap(\.companyID)), in: workspace)
    }

    /// `{q, status, tag, limit}` → one bundle per lead, newest first (limit 1–1000, default 10).
    struct SearchLeads: NativeModule {
        let leads: LeadStore
        let companies: CompanyStore

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            var query = LeadQuery()
            let m = input.mapper
            query.text = m["q"].map(IMLValues.text).flatMap { $0.isEmpty ? nil : $0 }
            if let status = m["status"].map(IMLValues.text), !status.isEmpty {
                guard let value = LeadStatus(rawValue: status) else {
                    throw ModuleError("DataError", "status: '\(status)' is not a lead status")
                }
                query.status = value
            }
            query.tag = m["tag"].map(IMLValues.text).flatMap { $0.isEmpty ? nil : $0 }
            query.limit =
                IMLValues.number(m["limit"] ?? .int(10)).flatMap { WholeNumber.clamped($0, to: 1...1000) } ?? 10
            let page = try await leads.list(query, in: workspace)
            return page.leads.map { LeadgenModules.bundle($0, $0.companyID.flatMap { page.companies[$0] }) }
        }
    }

    /// `{id}` → the lead.
    struct GetLead: NativeModule {
        let leads: LeadStore
        let companies: CompanyStore

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            let id = IMLValues.text(input.mapper["id"] ?? .null)
            guard let lead = try await leads.get(LeadID(rawValue: id), in: workspace) else {
                throw ModuleError("DataError", "no lead \(id)")
            }
            let company = try await lead.companyID.asyncFlatMap { try await companies.get($0, in: workspace) }
            return [LeadgenModules.bundle(lead, company)]
        }
    }

    /// The lead's fields (`email`, `first_name`, `last_name`, `title`, `phone`, `linkedin_url`,
    /// `company_name`, `company_domain`, `city`, `country`, `tags`) → the lead, created or merged, with
    /// `outcome` created, merged or unchanged.
    struct CreateLead: NativeModule {
        let leads: LeadStore
        let companies: CompanyStore
        let ingestor: LeadIngestor

        static let columns: [String: LeadColumn] = [
            "email": .email, "first_name": .firstName, "last_name": .lastName, "full_name": .fullName,
            "title": .title, "phone": .workDirectPhone, "mobile_phone": .mobilePhone, "linkedin_url": .linkedinURL,
            "company_name": .companyName, "company_domain": .companyDomain, "city": .city, "state": .state,
            "country": .country, "apollo_person_id": .apolloPersonID,
        ]

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            var values: [LeadColumn: String] = [:]
            for (name, column) in Self.columns {
                if let value = input.mapper[name], !IMLValues.isEmpty(value) { values[column] = IMLValues.text(value) }
            }
            var lead: LeadInput
            do {
                lead = try LeadInput.normalizing(values)
            } catch {
                throw ModuleError("DataError", error.reason)
            }
            switch input.mapper["tags"] ?? .null {
            case .array(let items): lead.fields.tags = items.map(IMLValues.text).filter { !$0.isEmpty }
            case .string(let text):
                lead.fields.tags = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            default: break
            }
            guard lead.identifiesAPerson else {
                throw ModuleError(
                    "DataError",
                    "the lead needs an e-mail, a LinkedIn URL, an Apollo id, or a name with a company or phone")
            }
            let outcome = try await ingestor.ingest(
                [IngestItem(input: lead, source: LeadSourceRef(kind: "scenario", reference: input.run.executionID))],
                into: workspace, actor: "scenario"
            ).first
            guard let outcome, let stored = try await leads.get(outcome.leadID, in: workspace) else { return [] }
            let company = try await stored.companyID.asyncFlatMap { try await companies.get($0, in: workspace) }
            var bundle = LeadgenModules.bundle(stored, company).objectValue ?? [:]
            bundle["outcome"] =
                switch outcome {
                case .created: .string("created")
                case .merged: .string("merged")
                case .unchanged: .string("unchanged")
                }
            return [.object(bundle)]
        }
    }

    /// `{id, tag}` adds a tag; `{id, status}` changes the status.
    struct Edit: NativeModule {
        enum Kind { case addTag, changeStatus }

        let leads: LeadStore
        let companies: CompanyStore
        let kind: Kind

        func run(_ input: ModuleInput) async throws -> [JSON] {
            let workspace = try LeadgenModules.workspace(input)
            let id = LeadID(rawValue: IMLValues.text(input.mapper["id"] ?? .null))
            let updated: Lead?
            switch kind {
            case .addTag:
                let tag = IMLValues.text(input.mapper["tag"] ?? .null).trimmingCharacters(in: .whitespaces)
                guard !tag.isEmpty else { throw ModuleError("DataError", "tag: a tag is needed") }
                updated = try await leads.update(id, in: workspace, actor: "scenario") { lead in
                    if !lead.fields.tags.contains(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) {
                        lead.fields.tags.append(tag)
                    }
                }
            case .changeStatus:
                let text = IMLValues.text(input.mapper["status"] ?? .null)
                guard let status = LeadStatus(rawValue: text) else {
                    throw ModuleError("DataError", "status: '\(text)' is not a lead status")
                }
                updated = try await leads.update(id, in: workspace, actor: "scenario") { $0.status = status }
            }
            guard let lead = updated else { throw ModuleError("DataError", "no lead \(id.rawValue)") }
            let company = try await lead.companyID.asyncFlatMap { try await companies.get($0, in: workspace) }
            return [LeadgenModules.bundle(lead, company)]
        }
    }
}
