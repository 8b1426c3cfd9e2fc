import Foundation

/// A lead as the API, the JSON Lines export and the dashboard show it, encoded with snake_case keys: every
/// `LeadField` by its key (a test holds the two together), with its company, status and times.
public struct LeadDTO: Codable, Sendable, Equatable {
    public struct Phone: Codable, Sendable, Equatable {
        public var type: String
        public var e164: String?
        public var raw: String
    }

    public var id: String
    public var status: String
    public var firstName: String?
    public var lastName: String?
    public var fullName: String?
    public var title: String?
    public var seniority: String?
    public var departments: [String]
    public var email: String?
    public var emailStatus: String?
    public var otherEmails: [String]
    public var phones: [Phone]
    public var linkedinUrl: String?
    public var city: String?
    public var state: String?
    public var country: String?
    public var timeZone: String?
    public var owner: String?
    public var tags: [String]
    public var customFields: [String: String]
    public var apolloPersonId: String?
    public var apolloContactId: String?
    public var company: CompanyDTO?
    public var createdAt: Date
    public var updatedAt: Date

    public init(_ lead: Lead, company: Company?) {
        let f = lead.fields
        id = lead.id.rawValue
        status = lead.status.rawValue
        firstName = f.firstName
        lastName = f.lastName
        fullName = f.fullName
        title = f.title
        seniority = f.seniority?.rawValue
        departments = f.departments
        email = f.email?.value
        emailStatus = f.emailStatus?.rawValue
        otherEmails = f.otherEmails.map(\.value)
        phones = f.phones.map { Phone(type: $0.kind.rawValue, e164: $0.e164, raw: $0.raw) }
        linkedinUrl = f.linkedinURL?.value
        city = f.city
        state = f.state
        country = f.country?.code
        timeZone = f.timeZone
        owner = f.owner
        tags = f.tags
        customFields = f.customFields
        apolloPersonId = f.apolloPersonID
        apolloContactId = f.apolloContactID
        self.company = company.map(CompanyDTO.init)
        createdAt = lead.createdAt
        updatedAt = lead.updatedAt
    }
}

/// A company as the API shows it: every `CompanyField` by its key.
public struct CompanyDTO: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var domain: String?
    public var linkedinUrl: String?
    public var industry: String?
    public var employeeCount: Int?
    public var annualRevenue: Int?
    public var phone: String?
    public var city: String?
    public var state: String?
    public var country: String?
    public var apolloOrganizationId: String?

    public init(_ company: Company) {
        let f = company.fields
        id = company.id.rawValue
        name = f.name
        domain = f.domain?.value
        linkedinUrl = f.linkedinURL?.value
        industry = f.industry
        employeeCount = f.employeeCount
        annualRevenue = f.annualRevenue
        phone = f.phone
        city = f.city
        state = f.state
        country = f.country?.code
        apolloOrganizationId = f.apolloOrganizationID
    }
}
