import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints a scenario's blueprint.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let scenario = try await ScenarioCommand.stored(root, id, workspace)
                let blueprint = try JSON.parse(Data(scenario.blueprint.utf8))
                print(String(decoding: try blueprint.data(pretty: true), as: UTF8.self))
            }
        }
    }
}
