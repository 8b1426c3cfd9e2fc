import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Providers
import Storage

extension MakeCommand {
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
