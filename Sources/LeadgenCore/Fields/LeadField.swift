/// A field of a lead, as every part of Leadgen names it. The API, the exports, the event log, template
/// variables and CRM field mappings use `key`; import reports and custom-field fallbacks use `label`, spelled
/// as Apollo's people export spells its headers. Each field is read by `text(in:style:)` and written by
/// `set(_:in:defaultCountry:)`, the one normalizer every source goes through.
public enum LeadField: String, CaseIterable, Sendable, Codable {
    case firstName = "first_name", lastName = "last_name", fullName = "full_name", title, seniority, departments
    case email, emailStatus = "email_status", otherEmails = "other_emails", phones, linkedinURL = "linkedin_url"
    case city, state, country, timeZone = "time_zone", owner, tags
    case apolloPersonID = "apollo_person_id", apolloContactID = "apollo_contact_id"

    public var key: String { rawValue }

    /// The fields a lead stores; `fullName` is read from the first and last names.
    public static let stored = allCases.filter { $0 != .fullName }

    public var label: String {
        switch self {
        case .firstName: "First Name"
        case .lastName: "Last Name"
        case .fullName: "Name"
        case .title: "Title"
        case .seniority: "Seniority"
        case .departments: "Departments"
        case .email: "Email"
        case .emailStatus: "Email Status"
        case .otherEmails: "Other Emails"
        case .phones: "Phones"
        case .linkedinURL: "LinkedIn URL"
        case .city: "City"
        case .state: "State"
        case .country: "Country"
        case .timeZone: "Time Zone"
        case .owner: "Owner"
        case .tags: "Tags"
        case .apolloPersonID: "Apollo Person Id"
        case .apolloContactID: "Apollo Contact Id"
        }
    }

    /// Whether the field holds several values (written as a list in JSON, joined by ", " in text).
    public var isList: Bool {
        switch self {
        case .departments, .otherEmails, .phones, .tags: true
        default: false
        }
    }

    /// The field's value as text, nil when empty. Lists are joined by ", "; a phone is its E.164 form, or its
    /// text as written when it has none.
    public func text(in f: LeadFields, style: FieldTextStyle = .canonical) -> String? {
        let text: String? =
            switch self {
            case .firstName: f.firstName
            case .lastName: f.lastName
            case .fullName: f.fullName
            case .title: f.title
            case .seniority: f.seniority?.rawValue
            case .departments: f.departments.joined(separator: ", ")
            case .email: f.email?.value
            case .emailStatus: f.emailStatus?.rawValue
            case .otherEmails: f.otherEmails.map(\.value).joined(separator: ", ")
            case .phones: f.phones.map(\.text).joined(separator: ", ")
            case .linkedinURL: f.linkedinURL?.value
            case .city: f.city
            case .state: f.state
            case .country: style == .canonical ? f.country?.code : f.country?.name
            case .timeZone: f.timeZone
            case .owner: f.owner
            case .tags: f.tags.joined(separator: ", ")
            case .apolloPersonID: f.apolloPersonID
            case .apolloContactID: f.apolloContactID
            }
        return text?.isEmpty == false ? text : nil
    }
}

/// How a field's value is written as text: `canonical` for data (a country's ISO code), `human` for people
/// and for systems that expect names (a country's English name in a template or a CRM).
public enum FieldTextStyle: Sendable {
    case canonical, human
}

extension LeadPhone {
    /// The number in E.164 form, or as written when it has none.
    public var text: String { e164 ?? raw }
}
