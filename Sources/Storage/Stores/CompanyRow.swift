import Foundation
import LeadgenCore

/// A row of the `companies` table.
struct CompanyRow: Codable, Sendable {
    var id: String
    var workspace_id: String
    var name: String?
    var domain: String?
    var linkedin_url: String?
    var industry: String?
    var employee_count: Int?
    var annual_revenue: Int?
    var phone: String?
    var city: String?
    var state: String?
    var country: String?
    var apollo_organization_id: String?
    var created_at: Date
    var updated_at: Date

    static let columns = [
        "id", "workspace_id", "name", "domain", "linkedin_url", "industry", "employee_count", "annual_revenue",
        "phone", "city", "state", "country", "apollo_organization_id", "created_at", "updated_at",
    ]

    init(_ company: Company) {
        let f = company.fields
        id = company.id.rawValue
        workspace_id = company.workspaceID.rawValue
        name = f.name
        domain = f.domain?.value
        linkedin_url = f.linkedinURL?.value
        industry = f.industry
        employee_count = f.employeeCount
        annual_revenue = f.annualRevenue
        phone = f.phone
        city = f.city
        state = f.state
        country = f.country?.code
        apollo_organization_id = f.apolloOrganizationID
        created_at = company.createdAt
        updated_at = company.updatedAt
    }

    var company: Company {
        var f = CompanyFields()
        f.name = name
        f.domain = domain.flatMap { try? Domain(parsing: $0) }
        f.linkedinURL = linkedin_url.flatMap { try? LinkedInURL(parsing: $0) }
        f.industry = industry
        f.employeeCount = employee_count
        f.annualRevenue = annual_revenue
        f.phone = phone
        f.city = city
        f.state = state
        f.country = country.flatMap { Country(code: $0) }
        f.apolloOrganizationID = apollo_organization_id
        return Company(
            id: CompanyID(rawValue: id), workspaceID: WorkspaceID(rawValue: workspace_id), fields: f,
            createdAt: created_at, updatedAt: updated_at)
    }
}
