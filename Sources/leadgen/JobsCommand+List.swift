import App
import ArgumentParser
import Foundation
import Logging
import Storage

extension JobsCommand {
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
}
