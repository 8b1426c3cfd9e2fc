import Foundation
import LeadgenCore
import Storage

/// Scans a workspace's leads for likely duplicates and fills its review queue, as a job: the dashboard's
/// "Scan now" queues it, so a large workspace is scanned by a worker, not inside a request.
public struct DedupeScanJob: JobHandler {
    public static let kind = "dedupe_scan"

    public struct Arguments: Codable, Sendable {
        public var workspace: String
        /// Pairs at or above this probability are queued for review.
        public var minProbability: Double

        public init(workspace: String, minProbability: Double) {
            self.workspace = workspace
            self.minProbability = minProbability
        }
    }

    /// The job for a workspace: one waits at a time.
    public static func job(_ workspace: WorkspaceID, minProbability: Double) throws -> NewJob {
        try NewJob(
            kind: kind, payload: Arguments(workspace: workspace.rawValue, minProbability: minProbability),
            uniqueKey: "dedupe-scan:\(workspace.rawValue)", workspace: workspace)
    }

    let deduplication: LeadDeduplication

    public init(deduplication: LeadDeduplication) { self.deduplication = deduplication }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        let probability = min(max(arguments.minProbability, 0.01), 0.99)
        _ = try await deduplication.scan(
            WorkspaceID(rawValue: arguments.workspace), minProbability: probability, record: true)
    }
}
