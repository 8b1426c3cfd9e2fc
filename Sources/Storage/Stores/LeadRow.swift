import Foundation
import LeadgenCore

/// A row of the `leads` table. List and map fields are stored as JSON text, the same on both databases.
struct LeadRow: Codable, Sendable {
    var id: String
    var workspace_id: String
    var company_id: String?
    var first_name: String?
    var last_name: String?
    var full_name: String?
    var title: String?
    var seniority: String?
    var departments: String
    var email: String?
    var email_status: String?
    var other_emails: String
    var phones: String
    var linkedin_url: String?
    var city: String?
    var state: String?
    var country: String?
    var time_zone: String?
    var status: String
    var owner: String?
    var custom_fields: String
    var apollo_person_id: String?
    var apollo_contact_id: String?
    var search_text: String
    var created_at: Date
    var updated_at: Date

    static let columns = [
        "id", "workspace_id", "company_id", "first_name", "last_name", "full_name", "title", "seniority",
        "departments", "email", "email_status", "other_emails", "phones", "linkedin_url", "city", "state", "country",
        "time_zone", "status", "owner", "custom_fields", "apollo_person_id", "apollo_contact_id", "search_text",
        "created_at", "updated_at",
    ]

    init(_ lead: Lead, companyName: String?) {
        let f = lead.fields
        id = lead.id.rawValue
        workspace_id = lead.workspaceID.rawValue
        company_id = lead.companyID?.rawValue
        first_name = f.firstName
        last_name = f.lastName
        full_name = f.fullName
        title = f.title
        seniority = f.seniority?.rawValue
        departments = JSONText.encode(f.departments)
        email = f.email?.value
        email_status = f.emailStatus?.rawValue
        other_emails = JSONText.encode(f.otherEmails.map(\.value))
        phones = JSONText.encode(f.phones)
        linkedin_url = f.linkedinURL?.value
        city = f.city
        state = f.state
        country = f.country?.code
        time_zone = f.timeZone
        status = lead.status.rawValue
        owner = f.owner
        custom_fields = JSONText.encode(f.customFields)
        apollo_person_id = f.apolloPersonID
        apollo_contact_id = f.apolloContactID
        search_text = [f.fullName, f.email?.value, companyName, f.title].compactMap { $0?.lowercased() }
            .joined(separator: " ")
        created_at = lead.createdAt
        updated_at = lead.updatedAt
    }

    /// The row as a lead, with tags (stored in their own table) added by the caller.
    func lead(tags: [String]) throws -> Lead {
        var f = LeadFields()
        f.firstName = first_name
        f.lastName = last_name
        f.title = title
        f.seniority = seniority.flatMap(Seniority.init(rawValue:))
        f.departments = try JSONText.decode([String].self, departments)
        f.email = try email.map { try EmailAddress(parsing: $0) }
        f.emailStatus = email_status.flatMap(EmailStatus.init(rawValue:))
        f.otherEmails = try JSONText.decode([String].self, other_emails).map { try EmailAddress(parsing: $0) }
        f.phones = try JSONText.decode([LeadPhone].self, phones)
        f.linkedinURL = try linkedin_url.map { try LinkedInURL(parsing: $0) }
        f.city = city
        f.state = state
        f.country = country.flatMap { Country(code: $0) }
        f.timeZone = time_zone
        f.owner = owner
        f.tags = tags
        f.customFields = try JSONText.decode([String: String].self, custom_fields)
        f.apolloPersonID = apollo_person_id
        f.apolloContactID = apollo_contact_id
        return Lead(
            id: LeadID(rawValue: id), workspaceID: WorkspaceID(rawValue: workspace_id),
            companyID: company_id.map(CompanyID.init(rawValue:)), fields: f,
            status: LeadStatus(rawValue: status) ?? .new, createdAt: created_at, updatedAt: updated_at)
    }
}
