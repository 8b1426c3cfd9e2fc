import App
import ArgumentParser
import Foundation
import Logging
import Storage

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Lists, retries and cancels background jobs.",
        subcommands: [List.self, Retry.self, Cancel.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists jobs, newest first.")

        @OptionGroup var options: GlobalOptions

        @Option(help: "Only jobs in this state (pending, running, succeeded, dead, cancelled).")
        var state: String?

        @Option(help: "How many to show.")
        var limit = 50

        func run() async throws {
            var filter: JobState?
            if let state {
                guard let value = JobState(rawValue: state) else {
                    throw ValidationError(
                        "--state: expected one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                filter = value
            }
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                let jobs = try await root.stores.jobs.list(
                    state: filter, limit: max(1, min(limit, 1000)))
                let rows = jobs.map { job in
                    [
                        job.id, job.kind, job.state.rawValue, "\(job.attempts)/\(job.maxAttempts)",
                        job.runAt.formatted(.iso8601), job.lastError ?? "",
                    ]
                }
                print(
                    TextTable.render(header: ["ID", "KIND", "STATE", "ATTEMPTS", "RUN AT", "LAST ERROR"], rows: rows))
            }
        }
    }

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

/// Applies a change to one job and says what happened, or why not.
private func changeJob(
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
