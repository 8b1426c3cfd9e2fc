import Foundation
import LeadgenCore

/// One sync of leads into a CRM.
public struct SyncRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case queued, running, succeeded, failed }
    public enum Scope: String, Sendable, Codable {
        /// Leads never synced or changed since their last sync.
        case changed
        /// Every lead with an e-mail; those whose content is unchanged are still skipped.
        case all
    }

    public var id: String
    public var workspaceID: String
    public var provider: String
    public var status: Status
    public var scope: Scope
    public var leadsSelected: Int
    public var leadsCreated: Int
    public var leadsUpdated: Int
    public var leadsUnchanged: Int
    public var leadsFailed: Int
    public var batchesTotal: Int
    public var batchesDone: Int
    public var error: String?
    public var createdAt: Date
    public var finishedAt: Date?

    public var isFinished: Bool { status == .succeeded || status == .failed }
}

/// What a CRM holds for one local record: its id there, and a digest of the content last sent.
public struct CRMRecord: Sendable, Equatable {
    public var localID: String
    public var remoteID: String?
    public var contentHash: String?
    public var lastError: String?

    public init(localID: String, remoteID: String?, contentHash: String?, lastError: String? = nil) {
        self.localID = localID
        self.remoteID = remoteID
        self.contentHash = contentHash
        self.lastError = lastError
    }
}

/// What syncing one lead did.
public struct SyncOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable { case created, updated, unchanged, failed }

    public var record: CRMRecord
    public var kind: Kind

    public init(record: CRMRecord, kind: Kind) {
        self.record = record
        self.kind = kind
    }
}
