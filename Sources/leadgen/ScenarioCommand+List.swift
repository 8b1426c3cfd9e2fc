import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's scenarios.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let rows = try await root.scenarios.store.list(in: workspace.id).map {
                    [$0.id, $0.name, $0.enabled ? "enabled" : "disabled", "/hooks/\($0.hookToken)"]
                }
                print(TextTable.render(header: ["ID", "NAME", "STATE", "WEBHOOK"], rows: rows))
            }
        }
    }
}
