import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct RunShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-show", abstract: "Prints a run's report: every module's input and output bundles.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The run's id.") var id: String

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                guard let run = try await root.scenarios.store.run(id, in: workspace.id) else {
                    throw CommandFailure("no run \(id) in workspace \(workspace.slug)")
                }
                let report =
                    try run.report.map { try JSON.parse(Data($0.utf8)) }
                    ?? .object(["status": .string(run.status.rawValue)])
                print(String(decoding: try report.data(pretty: true), as: UTF8.self))
            }
        }
    }
}
