import App
import ArgumentParser
import Foundation
import Pipeline
import Storage

extension ScenarioCommand {
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retries an incomplete execution now, from the module it stopped at.",
            discussion: "The retry is queued as a run (trigger \"retry\"); a worker or `leadgen serve` runs it.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The incomplete execution's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
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
