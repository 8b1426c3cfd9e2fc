import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Providers
import Storage

/// Scenarios kept on Make.com, next to those Leadgen runs itself.
struct MakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make", abstract: "Lists and runs scenarios kept on Make.com, and calls their webhooks.",
        discussion: """
            Uses the workspace's `make` connection or MAKE_API_TOKEN with MAKE_ZONE (eu1.make.com by default); \
            `leadgen serve --sandbox` and the sandbox answer for Make too.
            """,
        subcommands: [Scenarios.self, Run.self, CallHook.self])

    static func client(_ root: AppRoot, _ workspace: Workspace) async throws -> MakeClient {
        do { return try await root.registry.make(for: workspace.id) } catch let error
            as ProviderNotConfigured
        {
            throw CommandFailure("\(error)")
        }
    }

    static func json(_ text: String?, option: String) throws -> Data? {
        guard let text else { return nil }
        guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any] else {
            throw ValidationError("\(option) is not a JSON object")
        }
        return Data(text.utf8)
    }

    struct Scenarios: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists a team's (or organization's) scenarios.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: "The Make team's id.") var team: Int?
        @Option(help: "The Make organization's id (instead of a team).") var organization: Int?

        func validate() throws {
            if team == nil, organization == nil { throw ValidationError("give --team or --organization") }
        }

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let client = try await MakeCommand.client(root, workspace)
                var rows: [[String]] = []
                var offset = 0
                while true {
                    let page: [MakeClient.Scenario]
                    do {
                        page = try await client.listScenarios(
                            teamID: team, organizationID: organization, offset: offset)
                    } catch { throw CommandFailure("\(error)") }
                    rows += page.map {
                        [
                            String($0.id), $0.name, $0.isActive == true ? "active" : "inactive",
                            $0.hookId == nil ? "" : "webhook",
                        ]
                    }
                    if page.count < 100 { break }
                    offset += page.count
                }
                print(TextTable.render(header: ["ID", "NAME", "STATE", "TRIGGER"], rows: rows))
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Starts a run of an active Make scenario and prints Make's answer as JSON.",
            discussion: "By default Make waits up to 40 s for the run and returns its status and outputs.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The Make scenario's id.") var id: Int
        @Option(help: "The scenario's inputs as a JSON object.") var data: String?
        @Flag(help: "Returns at once with the execution id.") var noWait = false

        func run() async throws {
            let body = try MakeCommand.json(data, option: "--data")
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let client = try await MakeCommand.client(root, workspace)
                let result: MakeClient.RunResult
                do { result = try await client.runScenario(id, data: body, responsive: !noWait) } catch {
                    throw CommandFailure("\(error)")
                }
                var answer: [String: Any] = ["executionId": result.executionID]
                if let status = result.status { answer["status"] = status }
                if let outputs = result.outputs {
                    answer["outputs"] = try JSONSerialization.jsonObject(with: outputs, options: [.fragmentsAllowed])
                }
                let text = try JSONSerialization.data(withJSONObject: answer, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: text, as: UTF8.self))
                if result.status == 3 { throw ExitCode.failure }
            }
        }
    }

    struct CallHook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "call-hook", abstract: "Posts JSON to a Make custom webhook and prints its answer.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The webhook URL (https://hook.<zone>/<token>).") var url: String
        @Option(help: "The body as a JSON object.") var data: String = "{}"

        func run() async throws {
            guard let target = URL(string: url), target.scheme == "https" || target.scheme == "http" else {
                throw ValidationError("'\(url)' is not a webhook URL")
            }
            let body = try MakeCommand.json(data, option: "--data") ?? Data("{}".utf8)
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let answer: MakeWebhookClient.Answer
                do {
                    answer = try await runtime.root().registry.makeWebhooks.call(target, json: body)
                } catch {
                    throw CommandFailure("\(error)")
                }
                print("\(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
            }
        }
    }
}
