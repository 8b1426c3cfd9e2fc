import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads a blueprint and lists what the engine cannot run, by module id.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        @Argument(help: "The blueprint file.")
        var file: String

        func run() async throws {
            let blueprint = try ScenarioCommand.load(file)
            try await Runtime.withRoot(options, workspace) { root, _ in
                let runner = root.scenarios.runner
                let problems = BlueprintValidator.problems(blueprint, supported: runner.supported)
                print("\(blueprint.name): \(blueprint.allModules.count) modules")
                if problems.isEmpty {
                    print("every module can run natively")
                } else {
                    for problem in problems { print(problem) }
                }
            }
        }
    }
}
