import LeadgenCore

/// Where a record came from: the source kind, a reference (file name, API key), and a locator inside it.
public struct LeadSourceRef: Sendable, Equatable {
    public var kind: String
    public var reference: String?
    public var locator: String?

    public init(kind: String, reference: String? = nil, locator: String? = nil) {
        self.kind = kind
        self.reference = reference
        self.locator = locator
    }

    public static func csv(file: String, line: Int) -> LeadSourceRef {
        LeadSourceRef(kind: "csv", reference: file, locator: String(line))
    }

    /// "csv:apollo.csv:17", for event details.
    var detail: String { [kind, reference, locator].compactMap { $0 }.joined(separator: ":") }
}

/// One incoming record to match and merge.
public struct IngestItem: Sendable {
    public var input: LeadInput
    public var source: LeadSourceRef

    public init(input: LeadInput, source: LeadSourceRef) {
        self.input = input
        self.source = source
    }
}

/// What ingesting one record did.
public enum IngestOutcome: Sendable, Equatable {
    /// A new lead was created.
    case created(LeadID)
    /// The record matched a stored lead and changed it.
    case merged(LeadID)
    /// The record matched a stored lead and added nothing new, or was ingested before.
    case unchanged(LeadID)

    public var leadID: LeadID {
        switch self {
        case .created(let id), .merged(let id), .unchanged(let id): id
        }
    }
}
