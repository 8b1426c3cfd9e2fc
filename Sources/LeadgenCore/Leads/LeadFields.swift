/// Everything known about a person as a lead, normalized. Empty values are nil or empty, never "".
public struct LeadFields: Sendable, Equatable, Codable {
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var seniority: Seniority?
    public var departments: [String] = []
    public var email: EmailAddress?
    public var emailStatus: EmailStatus?
    /// Further addresses of the same person (secondary, tertiary, or a replaced primary).
    public var otherEmails: [EmailAddress] = []
    public var phones: [LeadPhone] = []
    public var linkedinURL: LinkedInURL?
    public var city: String?
    public var state: String?
    public var country: Country?
    /// An IANA time zone name ("America/New_York").
    public var timeZone: String?
    public var owner: String?
    public var tags: [String] = []
    public var customFields: [String: String] = [:]
    public var apolloPersonID: String?
    public var apolloContactID: String?

    public init() {}

    /// "First Last", or whichever part is known.
    public var fullName: String? {
        let parts = [firstName, lastName].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The keys that say two records are the same person, strongest first.
    public var matchKeys: [MatchKey] {
        var keys: [MatchKey] = []
        if let apolloPersonID { keys.append(MatchKey(kind: .apolloPerson, value: apolloPersonID)) }
        if let apolloContactID { keys.append(MatchKey(kind: .apolloContact, value: apolloContactID)) }
        for address in [email].compactMap({ $0 }) + otherEmails {
            keys.append(MatchKey(kind: .email, value: address.value))
        }
        if let linkedinURL { keys.append(MatchKey(kind: .linkedin, value: linkedinURL.value)) }
        if let lastName = lastName?.lowercased() {
            // A company's switchboard is shared by colleagues, some with the same last name: only a
            // person's own numbers identify them.
            for number in phones.filter({ $0.kind != .corporate }).compactMap(\.e164) {
                keys.append(MatchKey(kind: .phoneAndLastName, value: "\(number)|\(lastName)"))
            }
        }
        return keys
    }
}

/// A value that identifies a person across sources.
public struct MatchKey: Hashable, Sendable, Codable {
    /// The kinds of identity, from strongest to weakest.
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        case apolloPerson = "apollo_person"
        case apolloContact = "apollo_contact"
        case email
        case linkedin
        /// Weaker: the same E.164 phone with the same last name.
        case phoneAndLastName = "phone_last_name"

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind
    public var value: String

    public init(kind: Kind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// One text for storage and lookup, "email:jane@acme.com": unique by itself, so a database knows a
    /// lookup by it finds at most one row.
    public var storageKey: String { "\(kind.rawValue):\(value)" }

    /// Reads a `storageKey` back.
    public init?(storageKey: String) {
        guard let colon = storageKey.firstIndex(of: ":"),
            let kind = Kind(rawValue: String(storageKey[..<colon]))
        else { return nil }
        self.init(kind: kind, value: String(storageKey[storageKey.index(after: colon)...]))
    }
}
