import App
import ArgumentParser
import Foundation
import Pipeline
import Storage

extension ScenarioCommand {
    struct Incomplete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lists a scenario's incomplete executions: bundles a run parked to be run again.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                _ = try await ScenarioCommand.stored(root, id, workspace)
                let rows = try await root.scenarios.incompletes.list(scenario: id).map {
                    [
                        $0.id, $0.status.rawValue, String($0.moduleID), "\($0.attempts)/\($0.maxAttempts)",
                        $0.nextAttemptAt?.formatted(.iso8601) ?? "", $0.error,
                    ]
                }
                print(
                    TextTable.render(
                        header: ["ID", "STATUS", "MODULE", "ATTEMPTS", "NEXT ATTEMPT", "ERROR"], rows: rows))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retries an incomplete execution now, from the module it stopped at.",
            discussion: "The retry is queued as a run (trigger \"retry\"); a worker or `leadgen serve` runs it.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The incomplete execution's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let scenarios = root.scenarios
                guard let item = try await scenarios.incompletes.get(id, in: workspace.id) else {
                    throw CommandFailure("no incomplete execution \(id) in workspace \(workspace.slug)")
                }
                guard let run = try await scenarios.retry(item) else {
                    throw CommandFailure("incomplete execution \(id) is \(item.status.rawValue) already")
                }
                print("retry queued as run \(run.id)")
            }
        }
    }
}
