import Foundation
import LeadgenCore
import Logging
import Storage

/// The job that runs the outreach dispatcher: queued every minute by its schedule and whenever leads are
/// enrolled, under one unique key, so one dispatcher runs at a time across every process.
public struct OutreachDispatchJob: JobHandler {
    public static let kind = "outreach_dispatch"
    public static let queue = "outreach"
    public static let scheduleName = "outreach-dispatch"

    let dispatcher: OutreachDispatcher

    public init(dispatcher: OutreachDispatcher) { self.dispatcher = dispatcher }

    public func run(_ job: Job) async throws {
        let report = try await dispatcher.run()
        if report.advanced > 0 || report.abandoned > 0 {
            dispatcher.logger.info(
                "outreach: dispatched",
                metadata: [
                    "advanced": "\(report.advanced)", "sent": "\(report.sent)", "deferred": "\(report.deferred)",
                    "unknown": "\(report.unknown)", "failed": "\(report.failed)", "abandoned": "\(report.abandoned)",
                ])
        }
    }

    /// The job as queued; the same unique key as its schedule's, so it never runs twice at once.
    public static func newJob() throws -> NewJob {
        try NewJob(kind: kind, payload: [String: String](), queue: queue, priority: 1, uniqueKey: scheduleName)
    }
}
