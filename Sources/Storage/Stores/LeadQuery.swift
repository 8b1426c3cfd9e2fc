import Foundation
import LeadgenCore

/// Filters, order and page of a lead listing.
public struct LeadQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        /// Creation order (lead ids are time-ordered).
        case createdAt = "created_at"
        case lastName = "last_name"
        case email
    }

    /// The lead holding this identity (an e-mail, among its other e-mails too, or a LinkedIn URL).
    public var identity: MatchKey?
    /// Matches name, e-mail, company name or title, case-insensitively.
    public var text: String?
    public var status: LeadStatus?
    public var tag: String?
    public var companyDomain: Domain?
    public var country: Country?
    public var createdAfter: Date?
    public var createdBefore: Date?
    public var sort: Sort = .createdAt
    public var descending = true
    public var limit = 50
    public var cursor: LeadCursor?

    public init() {}
}

/// Where the next page starts: the sort value and id of the last lead of the previous page.
public struct LeadCursor: Sendable, Equatable, Codable {
    public var sort: String
    public var descending: Bool
    public var value: String
    public var id: String

    /// An opaque token for the API, the same for the same cursor in every process (keys sorted).
    public var token: String {
        let object = JSON.object([
            "sort": .string(sort), "descending": .bool(descending), "value": .string(value), "id": .string(id),
        ])
        return Data(object.text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public init(sort: String, descending: Bool, value: String, id: String) {
        self.sort = sort
        self.descending = descending
        self.value = value
        self.id = id
    }

    /// Reads a token made by `token`; nil when it is not one.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let cursor = try? JSONDecoder().decode(LeadCursor.self, from: data)
        else { return nil }
        self = cursor
    }
}

/// One page of leads and the cursor of the next, if there is one.
public struct LeadPage: Sendable {
    public var leads: [Lead]
    public var companies: [CompanyID: Company]
    public var nextCursor: LeadCursor?
}
