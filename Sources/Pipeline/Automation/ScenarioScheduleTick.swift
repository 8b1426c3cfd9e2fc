import Automation
import Foundation
import LeadgenCore
import Storage

/// Every minute: starts the runs of scheduled scenarios that are due and the automatic retries of
/// incomplete executions, takes over the runs of requests whose process died, records as failed the runs
/// whose jobs were given up, and deletes run history past
/// its retention.
public struct ScenarioScheduleTick: JobHandler {
    public static let kind = "scenario_schedule_tick"
    public static let scheduleName = "scenario-schedules"

    let scenarios: ScenarioService
    /// How long finished runs are kept; nil keeps them all.
    let retention: TimeInterval?
    let time: TimeSource

    public init(scenarios: ScenarioService, retention: TimeInterval?, time: TimeSource) {
        self.scenarios = scenarios
        self.retention = retention
        self.time = time
    }

    public func run(_ job: Job) async throws {
        _ = try await scenarios.startDueRuns()
        _ = try await scenarios.startDueRetries()
        _ = try await scenarios.adoptAbandonedRuns()
        _ = try await scenarios.failRunsOfDeadJobs()
        if let retention {
            let cutoff = time.now().addingTimeInterval(-retention)
            while try await scenarios.store.pruneRuns(finishedBefore: cutoff) > 0 {}
        }
    }
}
