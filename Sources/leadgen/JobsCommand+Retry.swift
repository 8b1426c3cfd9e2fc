import App
import ArgumentParser
import Foundation
import Logging
import Storage

extension JobsCommand {
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Puts a dead or cancelled job back in the queue.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The job's id.")
        var id: String

        func run() async throws {
            try await changeJob(
                id, options: options, done: "is queued again", refused: "is not dead or cancelled (or does not exist)"
            ) { try await $0.retry($1) }
        }
    }
}
