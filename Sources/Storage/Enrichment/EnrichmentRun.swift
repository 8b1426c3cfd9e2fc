import Foundation
import LeadgenCore

/// Which leads an enrichment run takes.
public struct EnrichmentSelection: Sendable, Codable, Equatable {
    public var status: LeadStatus?
    public var tag: String?
    /// At most this many leads.
    public var limit: Int?
    /// These leads only (an API caller's choice); nil takes every lead matching the filters.
    public var leadIDs: [String]?
    /// Also leads enriched before (their cached answers are used while fresh).
    public var includeEnriched = false
    /// Asks Apollo for mobile numbers too (up to 8 more credits a person), delivered later to this URL.
    public var phoneWebhookURL: String?

    public init(
        status: LeadStatus? = nil, tag: String? = nil, limit: Int? = nil, leadIDs: [String]? = nil,
        includeEnriched: Bool = false
    ) {
        self.status = status
        self.tag = tag
        self.limit = limit
        self.leadIDs = leadIDs
        self.includeEnriched = includeEnriched
    }
}

/// One enrichment run: its selection, budget and progress.
public struct EnrichmentRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        case queued, running, succeeded
        /// Finished, with some leads left out because the budget was spent.
        case budgetExhausted = "budget_exhausted"
        case failed
    }

    public var id: String
    public var workspaceID: String
    public var status: Status
    public var selection: EnrichmentSelection
    public var providers: [String]
    /// Credits the run may spend; nil is unlimited.
    public var budget: Double?
    public var spent: Double
    public var reserved: Double
    public var leadsSelected: Int
    public var leadsEnriched: Int
    public var leadsNotFound: Int
    public var leadsFromCache: Int
    public var leadsOverBudget: Int
    /// Leads whose provider call was cut off (a crash or timeout) after it may have been charged: not asked
    /// again in this run, so nothing is paid twice; a later run takes them again.
    public var leadsInterrupted: Int
    public var leadsFailed: Int
    public var batchesTotal: Int
    public var batchesDone: Int
    public var error: String?
    public var createdAt: Date
    public var finishedAt: Date?

    public var isFinished: Bool { [.succeeded, .budgetExhausted, .failed].contains(status) }
}

/// Credits as stored: whole thousandths, so fractional vendor charges add up exactly.
enum Millicredits {
    static func from(_ credits: Double) -> Int64 { Int64((credits * 1000).rounded(.up)) }
    static func credits(_ millis: Int64) -> Double { Double(millis) / 1000 }
}

/// How far one batch got; a retry resumes from here.
public enum EnrichmentBatchState: String, Sendable {
    case pending
    /// A provider call was sent and its answer is not recorded: it may have been charged.
    case calling
    /// The answers are recorded (cache and ledger); merging into the leads remains.
    case answered
    case done
}

/// One batch of a run.
public struct EnrichmentBatch: Sendable, Equatable {
    public var runID: String
    public var seq: Int
    public var workspaceID: WorkspaceID
    public var leadIDs: [LeadID]
    public var state: EnrichmentBatchState
    /// The provider a `.calling` batch was asking.
    public var callingProvider: String?
    public var reserved: Double
}

/// What a batch did to each of its leads, for the run's counters and the leads' enrichment status.
public struct EnrichmentOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case enriched
        case notFound = "not_found"
        case overBudget = "over_budget"
        case interrupted
        case failed
    }

    public var leadID: LeadID
    public var kind: Kind
    public var fromCache: Bool
    public var provider: String?
    public var detail: String?

    public init(leadID: LeadID, kind: Kind, fromCache: Bool = false, provider: String? = nil, detail: String? = nil) {
        self.leadID = leadID
        self.kind = kind
        self.fromCache = fromCache
        self.provider = provider
        self.detail = detail
    }
}
