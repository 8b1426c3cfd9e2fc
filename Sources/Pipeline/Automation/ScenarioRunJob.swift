import Automation
import Foundation
import LeadgenCore
import Storage

/// Runs one queued scenario run (`ScenarioExecutor`); a run finished already is left alone.
public struct ScenarioRunJob: JobHandler {
    public static let kind = "scenario_run"
    public static let queue = "automation"

    public struct Arguments: Codable, Sendable {
        public var runID: String
        public init(runID: String) { self.runID = runID }
    }

    let scenarios: ScenarioService

    public init(scenarios: ScenarioService) {
        self.scenarios = scenarios
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        guard let run = try await scenarios.store.run(arguments.runID), !run.isFinished,
            let scenario = try await scenarios.store.get(run.scenarioID, in: nil)
        else { return }
        try await scenarios.executor.execute(run, scenario)
    }
}

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
