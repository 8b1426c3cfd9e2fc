import Foundation

/// One entry of a lead's append-only history.
public struct LeadEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The lead was created through the API or the dashboard.
        case created
        /// The lead was created from a row of an import file.
        case imported
        /// A source matched the lead and was merged into it.
        case merged
        /// One field changed; `field`, `oldValue` and `newValue` say how.
        case fieldChanged = "field_changed"
        /// A person edited the lead; the field changes follow as their own events.
        case updated
        /// The lead was deleted; its history stays.
        case deleted
        /// The lead was found to be another lead's person and merged into it; `newValue` is that lead's id,
        /// `oldValue` this lead's fields as they were (JSON). Its history stays under its id.
        case mergedInto = "merged_into"
        /// A merge was undone: the lead is back as it was, or (on the survivor) what it took is given back.
        case unmerged
    }

    public var id: String
    public var leadID: LeadID
    public var kind: Kind
    public var field: String?
    public var oldValue: String?
    public var newValue: String?
    /// What caused it: "csv:apollo.csv:17", "api", "user:jane@acme.com".
    public var detail: String?
    public var actor: String?
    public var createdAt: Date

    public init(
        id: String, leadID: LeadID, kind: Kind, field: String? = nil, oldValue: String? = nil, newValue: String? = nil,
        detail: String? = nil, actor: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.leadID = leadID
        self.kind = kind
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.detail = detail
        self.actor = actor
        self.createdAt = createdAt
    }
}
