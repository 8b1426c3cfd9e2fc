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

    /// A lead as a bundle, in snake_case: every `LeadField` by its key (lists as arrays, each phone as
    /// `{type, number}`), the lead's id, status and times, and its company's name and domain (flat, and as
    /// `company`).
    static func bundle(_ lead: Lead, _ company: Company?) -> JSON {
        let f = lead.fields
        var fields: [String: JSON] = [
            "id": .string(lead.id.rawValue), "status": .string(lead.status.rawValue),
            "created_at": .string(IMLDates.iso(lead.createdAt)), "updated_at": .string(IMLDates.iso(lead.updatedAt)),
            "tags": .array(f.tags.map { .string($0) }), "departments": .array(f.departments.map { .string($0) }),
            "other_emails": .array(f.otherEmails.map { .string($0.value) }),
            "phones": .array(
                f.phones.map { .object(["type": .string($0.kind.rawValue), "number": .string($0.text)]) }),
        ]
        for field in LeadField.allCases where !field.isList {
            if let text = field.text(in: f) { fields[field.key] = .string(text) }
        }
        if let name = company?.fields.name { fields["company_name"] = .string(name) }
        if let domain = company?.fields.domain { fields["company_domain"] = .string(domain.value) }
        // The company as the API (and so the Make app's "Watch leads") shows it, so `{{1.lead.company.name}}`
        // maps the same on Make.com and here.
        if let company {
            var object: [String: JSON] = ["id": .string(company.id.rawValue)]
            if let name = company.fields.name { object["name"] = .string(name) }
            if let domain = company.fields.domain { object["domain"] = .string(domain.value) }
            fields["company"] = .object(object)
        }
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

    /// The lead's fields (every single-valued `LeadField` by its key, `phone`, `mobile_phone`,
    /// `company_name`, `company_domain`, and `tags` as an array or a comma-separated text) → the lead, created
    /// or merged, with `outcome` created, merged or unchanged.
    struct CreateLead: NativeModule {
        let leads: LeadStore
        let companies: CompanyStore
        let ingestor: LeadIngestor

        /// The import column each mapped field is normalized as.
        static let columns: [String: LeadColumn] = {
            var columns: [String: LeadColumn] = [
                "phone": .workDirectPhone, "mobile_phone": .mobilePhone, "company_name": .companyName,
                "company_domain": .companyDomain,
            ]
            for field in LeadField.allCases where !field.isList {
                if let column = LeadColumn(rawValue: field.key) { columns[field.key] = column }
            }
            return columns
        }()

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
            // Tags are free text: normalizing them cannot fail.
            switch input.mapper["tags"] ?? .null {
            case .array(let items): try? LeadField.tags.set(items: items.map(IMLValues.text), in: &lead.fields)
            case .string(let text): try? LeadField.tags.set(text, in: &lead.fields)
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
