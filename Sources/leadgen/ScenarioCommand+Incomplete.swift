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
            try await Runtime.withRoot(options, workspace) { root, workspace in
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
}
