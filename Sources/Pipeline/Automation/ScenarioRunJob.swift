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
