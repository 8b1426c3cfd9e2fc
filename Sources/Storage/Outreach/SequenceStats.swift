import Foundation
import LeadgenCore
import SQLKit

/// A sequence's figures: its enrolments by status, and for each step and variant how many messages went out
/// and what came of them.
public struct SequenceStats: Sendable, Equatable, Encodable {
    public struct StepFigures: Sendable, Equatable, Encodable {
        public var stepIndex: Int
        public var stepID: String
        public var variant: String?
        public var channel: String
        /// Messages the vendor took.
        public var sent: Int
        /// Messages whose fate is unclear (a crash during the call), never resent automatically.
        public var unknown: Int
        public var failed: Int
        public var delivered: Int
        public var opened: Int
        public var clicked: Int
        public var replied: Int
        public var bounced: Int
        public var unsubscribed: Int
        public var spamReports: Int

        enum CodingKeys: String, CodingKey {
            case stepIndex = "step_index", stepID = "step_id", variant, channel, sent, unknown, failed, delivered,
                opened, clicked, replied, bounced, unsubscribed, spamReports = "spam_reports"
        }
    }

    public var enrollments: [String: Int]
    public var steps: [StepFigures]
}

public struct SequenceStatsStore: Sendable {
    let database: LeadgenDatabase

    public init(database: LeadgenDatabase) { self.database = database }

    public func stats(sequence sequenceID: String, in workspace: WorkspaceID) async throws -> SequenceStats {
        var enrollments: [String: Int] = Dictionary(
            uniqueKeysWithValues: Enrollment.Status.allCases.map { ($0.rawValue, 0) })
        for row in try await database.sql.raw(
            """
            SELECT status, COUNT(*) AS n FROM enrollments
            WHERE sequence_id = \(bind: sequenceID) AND workspace_id = \(bind: workspace.rawValue) GROUP BY status
            """
        ).all() {
            enrollments[try row.decode(column: "status")] = try row.decode(column: "n", as: Int.self)
        }
        let steps = try await database.sql.raw(
            """
            SELECT step_index, step_id, variant, channel,
                SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent,
                SUM(CASE WHEN status = 'unknown' THEN 1 ELSE 0 END) AS unknown,
                SUM(CASE WHEN status = 'failed' OR failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed,
                COUNT(delivered_at) AS delivered, COUNT(opened_at) AS opened, COUNT(clicked_at) AS clicked,
                COUNT(replied_at) AS replied, COUNT(bounced_at) AS bounced, COUNT(unsubscribed_at) AS unsubscribed,
                COUNT(spam_reported_at) AS spam_reports
            FROM messages WHERE sequence_id = \(bind: sequenceID) AND workspace_id = \(bind: workspace.rawValue)
            GROUP BY step_index, step_id, variant, channel
            ORDER BY step_index, variant
            """
        ).all().map { row in
            func count(_ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }
            return SequenceStats.StepFigures(
                stepIndex: try row.decode(column: "step_index", as: Int.self),
                stepID: try row.decode(column: "step_id"),
                variant: try row.decode(column: "variant", as: String?.self),
                channel: try row.decode(column: "channel"),
                sent: try count("sent"), unknown: try count("unknown"), failed: try count("failed"),
                delivered: try count("delivered"), opened: try count("opened"), clicked: try count("clicked"),
                replied: try count("replied"), bounced: try count("bounced"), unsubscribed: try count("unsubscribed"),
                spamReports: try count("spam_reports"))
        }
        return SequenceStats(enrollments: enrollments, steps: steps)
    }
}
