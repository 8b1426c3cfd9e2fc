import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/leads` (search, status filter, pages) and `/leads/{id}` (fields and history).
struct LeadsPages {
    let templates: Templates
    let leads: LeadStore
    let companies: CompanyStore
    let phoneReveals: PhoneRevealStore

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("leads", use: list)
        group.get("leads/:id", use: detail)
    }

    struct Row {
        var id, name, email, title, company, country, status: String
    }

    struct StatusOption {
        var value: String
        var selected: Bool
    }

    struct ListPage {
        var nav: Navigation
        var q: String
        var statuses: [StatusOption]
        var leads: [Row]
        var hasLeads: Bool
        var filtered: Bool
        var total: Int
        var nextPage: String?
        var firstPage: String?
    }

    @Sendable func list(_ request: Request, context: DashboardContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let workspace = context.session.user.workspaceID
        var query = LeadQuery()
        query.limit = 50
        query.text = parameters["q"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        query.status = parameters["status"].flatMap { LeadStatus(rawValue: String($0)) }
        query.cursor = parameters["cursor"].flatMap { LeadCursor(token: String($0)) }
            .flatMap { $0.sort == query.sort.rawValue && $0.descending == query.descending ? $0 : nil }
        let page = try await leads.list(query, in: workspace)
        let rows = page.leads.map { lead in
            Row(
                id: lead.id.rawValue, name: lead.fields.fullName ?? lead.fields.email?.value ?? "(no name)",
                email: lead.fields.email?.value ?? "", title: lead.fields.title ?? "",
                company: lead.companyID.flatMap { page.companies[$0]?.fields.name } ?? "",
                country: lead.fields.country?.code ?? "", status: lead.status.rawValue)
        }
        func link(cursor: String?) -> String {
            var items: [URLQueryItem] = []
            if let text = query.text { items.append(.init(name: "q", value: text)) }
            if let status = query.status { items.append(.init(name: "status", value: status.rawValue)) }
            if let cursor { items.append(.init(name: "cursor", value: cursor)) }
            var components = URLComponents()
            components.path = "/leads"
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? "/leads"
        }
        let body = ListPage(
            nav: Navigation(context, active: .leads), q: query.text ?? "",
            statuses: LeadStatus.allCases.map { StatusOption(value: $0.rawValue, selected: $0 == query.status) },
            leads: rows, hasLeads: !rows.isEmpty, filtered: query.text != nil || query.status != nil,
            total: try await leads.count(in: workspace), nextPage: page.nextCursor.map { link(cursor: $0.token) },
            firstPage: query.cursor == nil ? nil : link(cursor: nil))
        return try templates.page("leads", body)
    }

    struct Field {
        var label: String
        var value: String
    }

    struct CompanyView {
        var fields: [Field]
    }

    struct EventRow {
        var iso, when, kind, field, old, new, detail: String
    }

    struct DetailPage {
        var nav: Navigation
        var name: String
        var status: String
        var fields: [Field]
        var company: CompanyView?
        var phoneReveal: String?
        var events: [EventRow]
    }

    @Sendable func detail(_ request: Request, context: DashboardContext) async throws -> Response {
        let workspace = context.session.user.workspaceID
        let id = LeadID(rawValue: try context.parameters.require("id"))
        guard let lead = try await leads.get(id, in: workspace) else { throw DashboardError.notFound }
        let company = try await lead.companyID.asyncFlatMap { try await companies.get($0, in: workspace) }
        let events = try await leads.events(of: id, in: workspace)
        let reveal = try await phoneReveals.latest(for: id, in: workspace)
        let body = DetailPage(
            nav: Navigation(context, active: .leads),
            name: lead.fields.fullName ?? lead.fields.email?.value ?? "(no name)", status: lead.status.rawValue,
            fields: Self.fields(of: lead.fields),
            company: company.map { CompanyView(fields: Self.fields(of: $0.fields)) },
            phoneReveal: reveal.map(Self.describe),
            events: events.map {
                EventRow(
                    iso: $0.createdAt.formatted(.iso8601),
                    when: $0.createdAt.formatted(date: .abbreviated, time: .shortened),
                    kind: $0.kind.rawValue.replacingOccurrences(of: "_", with: " "), field: $0.field ?? "",
                    old: $0.oldValue ?? "", new: $0.newValue ?? "", detail: $0.detail ?? "")
            })
        return try templates.page("lead", body)
    }

    /// The mobile number asked of Apollo, in a sentence.
    static func describe(_ reveal: PhoneReveal) -> String {
        let asked = "Asked of Apollo on \(reveal.requestedAt.formatted(.iso8601))"
        switch reveal.status {
        case .pending: return asked + "; Apollo sends it to the webhook later (usually within minutes)."
        case .skipped: return asked + "; Apollo will not send one (\(reveal.detail ?? "skipped"))."
        case .delivered: return asked + "; delivered."
        case .none: return asked + "; Apollo had no number for this person."
        }
    }

    static func fields(of fields: LeadFields) -> [Field] {
        let labels: [(String, String)] = [
            ("email", "E-mail"), ("email_status", "E-mail status"), ("other_emails", "Other e-mails"),
            ("title", "Title"), ("seniority", "Seniority"), ("departments", "Departments"), ("phones", "Phones"),
            ("linkedin_url", "LinkedIn"), ("city", "City"), ("state", "State"), ("country", "Country"),
            ("time_zone", "Time zone"), ("owner", "Owner"), ("tags", "Tags"), ("apollo_person_id", "Apollo person id"),
            ("apollo_contact_id", "Apollo contact id"),
        ]
        let values = fields.displayValues
        return labels.compactMap { key, label in values[key].map { Field(label: label, value: $0) } }
            + fields.customFields.sorted { $0.key < $1.key }.map { Field(label: $0.key, value: $0.value) }
    }

    static func fields(of company: CompanyFields) -> [Field] {
        let pairs: [(String, String?)] = [
            ("Name", company.name), ("Domain", company.domain?.value), ("LinkedIn", company.linkedinURL?.value),
            ("Industry", company.industry), ("Employees", company.employeeCount.map(String.init)),
            ("Annual revenue", company.annualRevenue.map { "$" + $0.formatted() }), ("Phone", company.phone),
            ("City", company.city), ("State", company.state), ("Country", company.country?.name),
        ]
        return pairs.compactMap { label, value in value.map { Field(label: label, value: $0) } }
    }
}
