import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

extension ScenarioCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Runs a blueprint once and prints a JSON report.",
            discussion: """
                The run has every module stored scenarios have (Slack, Apollo, HubSpot, data stores, leads…), \
                in the workspace's name and within its limits. The report has the run's status (success, \
                warning, error), its operations, the webhook response if a gateway:WebhookRespond ran, and for \
                each module id its executions, input and output bundles. Exits non-zero when the run ends in \
                error. A first module the engine cannot run (a vendor's watch trigger) needs --input: the \
                bundles given stand in for its output.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        @Argument(help: "The blueprint file (Make's export, or the public-template form).")
        var file: String

        @Option(help: "The trigger's bundle as JSON (an array for several bundles).")
        var input: String?

        func run() async throws {
            let blueprint = try ScenarioCommand.load(file)
            var trigger: [JSON] = []
            if let input {
                do {
                    let json = try JSON.parse(Data(input.utf8))
                    trigger = if case .array(let items) = json { items } else { [json] }
                } catch {
                    throw ValidationError("--input is not JSON")
                }
            }
            var failed = false
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let scenarios = root.scenarios
                if input == nil, let first = blueprint.flow.first, scenarios.runner.triggers.contains(first.module) {
                    trigger = [.object([:])]
                }
                let state = RunState(
                    executionID: root.ids(), now: root.time.now, workspaceID: workspace.id.rawValue,
                    limits: RunLimits(try await scenarios.limits.get(workspace.id)))
                let report = await scenarios.runner.run(blueprint, trigger: trigger, state: state)
                print(String(decoding: try report.json.data(pretty: true), as: UTF8.self))
                failed = report.status == .error
            }
            if failed { throw ExitCode.failure }
        }
    }
}
