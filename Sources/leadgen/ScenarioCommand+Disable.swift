import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stops a scenario's webhook and triggers.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let scenario = try await ScenarioCommand.stored(root, id, workspace)
                try await root.scenarios.setEnabled(scenario, false)
                print("scenario \(id) disabled")
            }
        }
    }
}
