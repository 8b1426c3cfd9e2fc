import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage

extension MakeCommand {
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
            try await Runtime.withRoot(options, workspace) { root, workspace in
                let client = try await MakeCommand.client(root, workspace)
                let result: MakeClient.RunResult
                do { result = try await client.runScenario(id, data: body, responsive: !noWait) } catch {
                    throw CommandFailure("\(error)")
                }
                var answer: [String: JSON] = ["executionId": .string(result.executionID)]
                if let status = result.status { answer["status"] = .int(status) }
                if let outputs = result.outputs { answer["outputs"] = try JSON.parse(outputs) }
                let text = try JSON.object(answer).data(pretty: true)
                print(String(decoding: text, as: UTF8.self))
                if result.status == 3 { throw ExitCode.failure }
            }
        }
    }
}
