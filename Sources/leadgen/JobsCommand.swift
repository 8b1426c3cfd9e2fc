import App
import ArgumentParser
import Foundation
import Logging
import Storage

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Lists, retries and cancels background jobs.",
        subcommands: [List.self, Retry.self, Cancel.self])

}

/// Applies a change to one job and says what happened, or why not.
func changeJob(
    _ id: String, options: GlobalOptions, done: String, refused: String,
    _ change: (JobQueue, String) async throws -> Bool
) async throws {
    let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
    try await runtime.run {
        let root = runtime.root()
        guard try await change(root.stores.jobs, id) else {
            throw CommandFailure("job \(id) \(refused)")
        }
        print("job \(id) \(done)")
    }
}
