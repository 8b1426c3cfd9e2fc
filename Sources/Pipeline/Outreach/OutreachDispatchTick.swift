import Foundation
import LeadgenCore
import Logging
import Storage

/// The every-minute schedule's job: queues the dispatcher under its unique key (a scheduled job's own key
/// names its minute, so it must not run the dispatcher itself, or two could run at once).
public struct OutreachDispatchTick: JobHandler {
    public static let kind = "outreach_tick"

    let jobs: JobQueue

    public init(jobs: JobQueue) { self.jobs = jobs }

    public func run(_ job: Job) async throws {
        try await jobs.enqueue(try OutreachDispatchJob.newJob())
    }
}
