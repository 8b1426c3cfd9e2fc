import App
import ArgumentParser
import Foundation
import Logging
import Storage

extension JobsCommand {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancels a job that has not started.")

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The job's id.")
        var id: String

        func run() async throws {
            try await changeJob(
                id, options: options, done: "is cancelled", refused: "is not pending (or does not exist)"
            ) {
                try await $0.cancel($1)
            }
        }
    }
}
