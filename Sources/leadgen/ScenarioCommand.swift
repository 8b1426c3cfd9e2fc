import App
import ArgumentParser
import Automation
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Runs Make.com scenario blueprints natively.",
        subcommands: [
            Import.self, List.self, Show.self, Enable.self, Disable.self, Run.self, Runs.self, RunShow.self, Check.self,
            Incomplete.self, Retry.self, Limits.self,
        ])

    static func load(_ file: String) throws -> Blueprint {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure("cannot read \(file)")
        }
        do { return try Blueprint(data: data) } catch { throw CommandFailure("\(file): \(error)") }
    }

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
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
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

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads a blueprint and lists what the engine cannot run, by module id.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        @Argument(help: "The blueprint file.")
        var file: String

        func run() async throws {
            let blueprint = try ScenarioCommand.load(file)
            try await ScenarioCommand.withRoot(options, workspace) { root, _ in
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

extension ScenarioCommand {

    /// Runs `body` with the application's root for the workspace named by `--workspace`.
    static func withRoot(
        _ options: GlobalOptions, _ workspace: WorkspaceOption,
        _ body: (AppRoot, Workspace) async throws -> Void
    ) async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            let found = try await root.stores.workspaces
                .findOrCreate(slug: workspace.workspace)
            try await body(root, found)
        }
    }

    static func stored(_ root: AppRoot, _ id: String, _ workspace: Workspace) async throws -> StoredScenario {
        guard let scenario = try await root.scenarios.store.get(id, in: workspace.id) else {
            throw CommandFailure("no scenario \(id) in workspace \(workspace.slug)")
        }
        return scenario
    }

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
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's scenarios.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let rows = try await root.scenarios.store.list(in: workspace.id).map {
                    [$0.id, $0.name, $0.enabled ? "enabled" : "disabled", "/hooks/\($0.hookToken)"]
                }
                print(TextTable.render(header: ["ID", "NAME", "STATE", "WEBHOOK"], rows: rows))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints a scenario's blueprint.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let scenario = try await ScenarioCommand.stored(root, id, workspace)
                let blueprint = try JSON.parse(Data(scenario.blueprint.utf8))
                print(String(decoding: try blueprint.data(pretty: true), as: UTF8.self))
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lets a scenario's webhook and triggers start runs.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let scenario = try await ScenarioCommand.stored(root, id, workspace)
                try await root.scenarios.setEnabled(scenario, true)
                let next = try await ScenarioCommand.stored(root, id, workspace).nextRunAt
                print("scenario \(id) enabled" + (next.map { "; next scheduled run \($0.formatted(.iso8601))" } ?? ""))
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stops a scenario's webhook and triggers.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let scenario = try await ScenarioCommand.stored(root, id, workspace)
                try await root.scenarios.setEnabled(scenario, false)
                print("scenario \(id) disabled")
            }
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a scenario's runs, newest first.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The scenario's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
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

    struct RunShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-show", abstract: "Prints a run's report: every module's input and output bundles.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The run's id.") var id: String

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
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
