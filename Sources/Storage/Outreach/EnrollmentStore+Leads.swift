import Foundation
import LeadgenCore
import SQLKit

/// A lead's place in one sequence, as a list of leads shows it.
public struct SequenceMembership: Sendable, Equatable {
    public var sequenceID: String
    public var sequenceName: String
    public var status: Enrollment.Status
    public var stepIndex: Int
    public var enrolledAt: Date
}

extension EnrollmentStore {
    /// Every sequence each of these leads is or was enrolled in, newest enrolment first.
    public func memberships(of leads: [LeadID], in workspace: WorkspaceID) async throws
        -> [LeadID: [SequenceMembership]]
    {
        var memberships: [LeadID: [SequenceMembership]] = [:]
        for chunk in leads.map(\.rawValue).chunked(500) {
            let rows = try await database.sql.raw(
                """
                SELECT e.lead_id, e.sequence_id, s.name, e.status, e.step_index, e.created_at
                FROM enrollments e JOIN sequences s ON s.id = e.sequence_id
                WHERE e.workspace_id = \(bind: workspace.rawValue) AND e.lead_id IN (\(binds: chunk))
                ORDER BY e.created_at DESC, e.id
                """
            ).all()
            for row in rows {
                let lead = LeadID(rawValue: try row.decode(column: "lead_id", as: String.self))
                memberships[lead, default: []].append(
                    SequenceMembership(
                        sequenceID: try row.decode(column: "sequence_id"), sequenceName: try row.decode(column: "name"),
                        status: Enrollment.Status(rawValue: try row.decode(column: "status")) ?? .failed,
                        stepIndex: try row.decode(column: "step_index", as: Int.self),
                        enrolledAt: try row.decode(column: "created_at")))
            }
        }
        return memberships
    }
}
