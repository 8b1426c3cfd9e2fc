import Foundation

/// A CRM record as HubSpot returns one (SimplePublicObject): every property value is a string or null.
public struct HubSpotObject: Decodable, Sendable, Equatable {
    public var id: String
    public var properties: [String: String?]
    public var archived: Bool?
    /// Set by batch upsert: whether the record was created by this call.
    public var new: Bool?

    public func property(_ name: String) -> String? { properties[name] ?? nil }
}

/// One failed input of a batch call (a StandardError of a 207 answer).
public struct HubSpotBatchError: Decodable, Sendable, Equatable {
    public var category: String?
    public var message: String
    public var context: [String: [String]]?

    /// The inputs the error is about, as the caller identified them (ids or id-property values).
    public var ids: [String] { context?["ids"] ?? [] }
}

/// What a batch call did: the records written, and the inputs refused (a 207 answer).
public struct HubSpotBatchResult: Decodable, Sendable, Equatable {
    public var results: [HubSpotObject]
    public var errors: [HubSpotBatchError]

    public init(results: [HubSpotObject] = [], errors: [HubSpotBatchError] = []) {
        self.results = results
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey { case results, errors }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        results = try container.decodeIfPresent([HubSpotObject].self, forKey: .results) ?? []
        errors = try container.decodeIfPresent([HubSpotBatchError].self, forKey: .errors) ?? []
    }
}

/// One record to write in a batch: its key (a record id, or the value of `idProperty`) and its properties.
public struct HubSpotInput: Sendable, Equatable {
    public var id: String
    public var properties: [String: String]

    public init(id: String, properties: [String: String]) {
        self.id = id
        self.properties = properties
    }
}

/// A custom property to create, such as a unique key to upsert companies by.
public struct HubSpotPropertyDefinition: Encodable, Sendable {
    public var name: String
    public var label: String
    public var type = "string"
    public var fieldType = "text"
    public var groupName: String
    public var hasUniqueValue: Bool

    public init(name: String, label: String, groupName: String, hasUniqueValue: Bool) {
        self.name = name
        self.label = label
        self.groupName = groupName
        self.hasUniqueValue = hasUniqueValue
    }
}

/// What `GET /account-info/v3/details` says of the account; Leadgen needs only the portal id, which every
/// webhook event carries as `portalId`.
public struct HubSpotAccountDetails: Decodable, Sendable, Equatable {
    public var portalId: Int64
    public var timeZone: String?

    public init(portalId: Int64, timeZone: String? = nil) {
        self.portalId = portalId
        self.timeZone = timeZone
    }
}
