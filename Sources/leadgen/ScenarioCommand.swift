import ArgumentParser
import Automation
import Foundation

struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Runs Make.com scenario blueprints natively.",
        subcommands: [Run.self, Check.self])

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
                The report has the run's status (success, warning, error), its operations, the webhook \
                response if a gateway:WebhookRespond ran, and for each module id its executions, input and \
                output bundles. Exits non-zero when the run ends in error.
                """)

        @Argument(help: "The blueprint file (Make's export, or the public-template form).")
        var file: String

        @Option(help: "The trigger's bundle as JSON (an array for several bundles).")
        var input: String = "{}"

        func run() async throws {
            let blueprint = try ScenarioCommand.load(file)
            let trigger: [JSON]
            do {
                let json = try JSON.parse(Data(input.utf8))
                trigger = if case .array(let items) = json { items } else { [json] }
            } catch {
                throw ValidationError("--input is not JSON")
            }
            let runner = ScenarioRunner(modules: AutomationModules.all())
            let report = await runner.run(blueprint, trigger: trigger)
            print(String(decoding: try report.json.data(pretty: true), as: UTF8.self))
            if report.status == .error { throw ExitCode.failure }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads a blueprint and lists what the engine cannot run, by module id.")

        @Argument(help: "The blueprint file.")
        var file: String

        func run() async throws {
            let blueprint = try ScenarioCommand.load(file)
            let runner = ScenarioRunner(modules: AutomationModules.all())
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
