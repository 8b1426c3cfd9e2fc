import Foundation
import LeadgenCore

/// Where a job is in its life.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting for its `runAt` time and a worker.
    case pending
    /// Claimed by a worker that holds its lease.
    case running
    case succeeded
    /// Failed on its last allowed attempt; kept with its last error, retryable by hand.
    case dead
    case cancelled
}

/// A job to enqueue.
public struct NewJob: Sendable {
    public var kind: String
    /// JSON text of the job's arguments.
    public var payload: String
    public var queue: String
    /// Higher runs first among jobs that are due.
    public var priority: Int
    public var runAt: Date?
    public var maxAttempts: Int
    /// While a job with this key is pending or running, enqueuing another with it does nothing.
    public var uniqueKey: String?
    public var workspace: WorkspaceID?

    public init(
        kind: String, payload: some Encodable, queue: String = "default", priority: Int = 0, runAt: Date? = nil,
        maxAttempts: Int = 20, uniqueKey: String? = nil, workspace: WorkspaceID? = nil
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.init(
            kind: kind, json: String(decoding: try encoder.encode(payload), as: UTF8.self), queue: queue,
            priority: priority, runAt: runAt, maxAttempts: maxAttempts, uniqueKey: uniqueKey, workspace: workspace)
    }

    /// A job whose arguments are already JSON text.
    public init(
        kind: String, json: String, queue: String = "default", priority: Int = 0, runAt: Date? = nil,
        maxAttempts: Int = 20, uniqueKey: String? = nil, workspace: WorkspaceID? = nil
    ) {
        self.kind = kind
        self.payload = json
        self.queue = queue
        self.priority = priority
        self.runAt = runAt
        self.maxAttempts = max(1, maxAttempts)
        self.uniqueKey = uniqueKey
        self.workspace = workspace
    }
}

/// A job as stored.
public struct Job: Sendable, Equatable, Identifiable {
    public var id: String
    public var workspaceID: WorkspaceID?
    public var queue: String
    public var kind: String
    public var payload: String
    public var priority: Int
    public var state: JobState
    public var runAt: Date
    /// Attempts started so far, the one running included.
    public var attempts: Int
    public var maxAttempts: Int
    public var uniqueKey: String?
    public var lockedBy: String?
    public var lockedUntil: Date?
    public var lastError: String?
    public var createdAt: Date
    public var finishedAt: Date?
    /// The `traceparent` of whatever queued it, when tracing was on: its runs link to that trace.
    public var traceParent: String? = nil

    /// The payload decoded as the job's argument type.
    public func arguments<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload.utf8))
    }
}
