import Foundation

/// A person as `mixed_people/api_search` returns one: no e-mail, phone, LinkedIn URL, city or full last
/// name, only whether Apollo has them (docs/reference/apollo.md §2a).
public struct ApolloSearchPerson: Codable, Sendable, Equatable {
    public var id: String
    public var firstName: String?
    public var lastNameObfuscated: String?
    public var title: String?
    public var hasEmail: Bool?
    public var hasDirectPhone: String?
    public var organization: Organization?

    public struct Organization: Codable, Sendable, Equatable {
        public var name: String?
    }

    enum CodingKeys: String, CodingKey {
        case id, title, organization
        case firstName = "first_name", lastNameObfuscated = "last_name_obfuscated", hasEmail = "has_email"
        case hasDirectPhone = "has_direct_phone"
    }
}

/// One page of a people search.
public struct ApolloSearchPage: Sendable, Equatable {
    public var totalEntries: Int
    public var people: [ApolloSearchPerson]
}

/// A person as the enrichment endpoints return one (docs/reference/apollo.md §3a), the fields Leadgen keeps.
public struct ApolloPerson: Codable, Sendable, Equatable {
    public var id: String
    public var firstName: String?
    public var lastName: String?
    public var name: String?
    public var linkedinURL: String?
    public var title: String?
    public var emailStatus: String?
    public var email: String?
    public var headline: String?
    public var city: String?
    public var state: String?
    public var country: String?
    public var seniority: String?
    public var departments: [String]?
    public var organizationID: String?
    public var organization: ApolloOrganization?
    public var phoneNumbers: [ApolloPhoneNumber]?
    public var contactID: String?

    enum CodingKeys: String, CodingKey {
        case id, name, title, email, headline, city, state, country, seniority, departments, organization
        case firstName = "first_name", lastName = "last_name", linkedinURL = "linkedin_url"
        case emailStatus = "email_status", organizationID = "organization_id", phoneNumbers = "phone_numbers"
        case contactID = "contact_id"
    }

    /// The address, unless it is Apollo's placeholder for an e-mail the team has not unlocked
    /// (`email_not_unlocked@domain.com`, docs/reference/apollo.md §2b): that is no address at all.
    public var unlockedEmail: String? {
        guard let email, !email.isEmpty, !email.contains("not_unlocked") else { return nil }
        return email
    }
}

/// A phone as Apollo lists it on a person or contact (docs/reference/apollo.md §3a, and the phone webhook of §3c, whose
/// items say `type_cd` and `status_cd` where the others say `type` and `status`).
public struct ApolloPhoneNumber: Codable, Sendable, Equatable {
    public var rawNumber: String?
    public var sanitizedNumber: String?
    public var type: String?
    public var status: String?

    enum CodingKeys: String, CodingKey {
        case rawNumber = "raw_number", sanitizedNumber = "sanitized_number", type, status
        case typeCode = "type_cd", statusCode = "status_cd"
    }

    public init(rawNumber: String?, sanitizedNumber: String?, type: String?, status: String?) {
        self.rawNumber = rawNumber
        self.sanitizedNumber = sanitizedNumber
        self.type = type
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rawNumber = try container.decodeIfPresent(String.self, forKey: .rawNumber)
        sanitizedNumber = try container.decodeIfPresent(String.self, forKey: .sanitizedNumber)
        type =
            try container.decodeIfPresent(String.self, forKey: .type)
            ?? container.decodeIfPresent(String.self, forKey: .typeCode)
        status =
            try container.decodeIfPresent(String.self, forKey: .status)
            ?? container.decodeIfPresent(String.self, forKey: .statusCode)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(rawNumber, forKey: .rawNumber)
        try container.encodeIfPresent(sanitizedNumber, forKey: .sanitizedNumber)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encodeIfPresent(status, forKey: .status)
    }
}

/// An organization as enrichment returns it (docs/reference/apollo.md §4), the fields Leadgen keeps.
public struct ApolloOrganization: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var websiteURL: String?
    public var linkedinURL: String?
    public var primaryDomain: String?
    public var industry: String?
    public var estimatedNumEmployees: Int?
    public var annualRevenue: Double?
    public var phone: String?
    public var city: String?
    public var state: String?
    public var country: String?

    enum CodingKeys: String, CodingKey {
        case id, name, industry, phone, city, state, country
        case websiteURL = "website_url", linkedinURL = "linkedin_url", primaryDomain = "primary_domain"
        case estimatedNumEmployees = "estimated_num_employees", annualRevenue = "annual_revenue"
    }
}

/// The identifiers of one person to enrich; Apollo needs an id, an e-mail, a LinkedIn URL, or a name with a
/// domain or company to find anyone (a name alone may come back empty, docs/reference/apollo.md §3a).
public struct ApolloMatchDetails: Codable, Sendable, Equatable {
    public var id: String?
    public var email: String?
    public var linkedinURL: String?
    public var firstName: String?
    public var lastName: String?
    public var organizationName: String?
    public var domain: String?

    public init(
        id: String? = nil, email: String? = nil, linkedinURL: String? = nil, firstName: String? = nil,
        lastName: String? = nil, organizationName: String? = nil, domain: String? = nil
    ) {
        self.id = id
        self.email = email
        self.linkedinURL = linkedinURL
        self.firstName = firstName
        self.lastName = lastName
        self.organizationName = organizationName
        self.domain = domain
    }

    enum CodingKeys: String, CodingKey {
        case id, email, domain
        case linkedinURL = "linkedin_url", firstName = "first_name", lastName = "last_name"
        case organizationName = "organization_name"
    }

    /// Whether Apollo can be expected to find the person from these identifiers.
    public var isSufficient: Bool {
        id != nil || email != nil || linkedinURL != nil
            || ((firstName != nil || lastName != nil) && (domain != nil || organizationName != nil))
    }
}

/// What `people/bulk_match` answered: one entry per person asked, nil where Apollo found no one.
public struct ApolloBulkMatch: Sendable, Equatable {
    public var matches: [ApolloPerson?]
    /// Credits Apollo says the call consumed; fractional values occur (docs/reference/apollo.md §3b).
    public var creditsConsumed: Double
    /// For each match, when mobile numbers were asked for: whether one will be posted to the webhook.
    public var phoneRequests: [ApolloPhoneRequest?]

    public init(matches: [ApolloPerson?], creditsConsumed: Double, phoneRequests: [ApolloPhoneRequest?] = []) {
        self.matches = matches
        self.creditsConsumed = creditsConsumed
        self.phoneRequests = phoneRequests
    }
}
