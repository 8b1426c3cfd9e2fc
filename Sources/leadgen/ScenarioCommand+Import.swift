import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stores a blueprint as a scenario, prints its id and webhook path and what cannot run.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The blueprint file.") var file: String
        @Option(help: "The scenario's name (default: the blueprint's).") var name: String?
        @Flag(help: "Enables it at once.") var enable = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("cannot read \(file)")
            }
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let imported: ScenarioService.Imported
                do {
                    imported = try await root.scenarios.importBlueprint(
                        data, name: name, enabled: enable, in: workspace.id)
                } catch let error as BlueprintError {
                    throw CommandFailure("\(file): \(error)")
                }
                print("scenario \(imported.scenario.id): \(imported.scenario.name)")
                print("webhook: /hooks/\(imported.scenario.hookToken)")
                print(imported.scenario.enabled ? "enabled" : "disabled (enable it with `leadgen scenario enable ID`)")
                for problem in imported.problems { print("cannot run: \(problem)") }
            }
        }
    }
}
