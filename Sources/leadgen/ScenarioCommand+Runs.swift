import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a scenario's runs, newest first.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                _ = try await ScenarioCommand.stored(root, id, workspace)
                let rows = try await root.scenarios.store.runs(of: id).map {
                    [
                        $0.id, $0.trigger, $0.status.rawValue, String($0.operations), $0.createdAt.formatted(.iso8601),
                        $0.error ?? "",
                    ]
                }
                print(
                    TextTable.render(
                        header: ["RUN", "TRIGGER", "STATUS", "OPERATIONS", "STARTED", "ERROR"], rows: rows))
            }
        }
    }
}
