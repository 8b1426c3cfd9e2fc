import Foundation
import LeadgenCore

/// What one merge changed, kept so it can be undone: both leads as they were, the survivor as the merge
/// left it, and every row it moved from the absorbed lead to the survivor.
public struct LeadMergeRecord: Sendable, Codable, Equatable {
    /// A lead as it stood, enough to write it back.
    public struct Snapshot: Sendable, Codable, Equatable {
        public var fields: LeadFields
        public var status: String
        public var companyID: String?
        public var createdAt: Date
        public var updatedAt: Date

        init(_ lead: Lead) {
            fields = lead.fields
            status = lead.status.rawValue
            companyID = lead.companyID?.rawValue
            createdAt = lead.createdAt
            updatedAt = lead.updatedAt
        }

        func lead(_ id: LeadID, in workspace: WorkspaceID) -> Lead {
            Lead(
                id: id, workspaceID: workspace, companyID: companyID.map(CompanyID.init(rawValue:)), fields: fields,
                status: LeadStatus(rawValue: status) ?? .new, createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    /// An enrolment of the absorbed lead in a sequence the survivor was enrolled in too: it stayed with the
    /// absorbed lead's id and was finished, so the person is not written to twice.
    public struct FinishedEnrollment: Sendable, Codable, Equatable {
        public var id: String
        public var status: String
        public var reason: String?
        public var nextActionAt: Date?
    }

    public var survivorBefore: Snapshot
    public var survivorAfter: Snapshot
    public var absorbed: Snapshot
    /// `lead_sources` rows, by record hash.
    public var sources: [String] = []
    /// Enrolments moved; their messages move with them (by enrolment).
    public var enrollments: [String] = []
    public var finishedEnrollments: [FinishedEnrollment] = []
    /// `phone_reveals` rows, by Apollo person id.
    public var phoneReveals: [String] = []
    /// Whether the absorbed lead's enrichment status moved to the survivor (which had none).
    public var enrichment = false
    /// CRM links moved to the survivor (which had none with that CRM), by provider.
    public var crmRecords: [String] = []
}
