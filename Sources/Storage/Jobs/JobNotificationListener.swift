import Foundation
import Logging
import NIOPosix
import PostgresKit
import ServiceLifecycle

/// On PostgreSQL, listens on one dedicated connection for the notification every enqueue sends at commit,
/// and wakes the workers of this process. Without it workers still find new jobs at their next poll.
public struct JobNotificationListener: Service {
    static let channel = "leadgen_jobs"

    let url: String
    let wakeups: JobWakeups
    let logger: Logger

    public init(postgresURL url: String, wakeups: JobWakeups, logger: Logger) {
        self.url = url
        self.wakeups = wakeups
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var delay: Duration = .milliseconds(250)
            while !Task.isCancelled {
                do {
                    try await listenOnce()
                    delay = .milliseconds(250)
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning(
                        "job notifications interrupted; reconnecting",
                        metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(30))
                }
            }
        }
    }

    private func listenOnce() async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger
        ).get()
        defer { Task { try? await connection.close() } }
        try await connection.listen(on: Self.channel) { notifications in
            // Jobs may have been enqueued while no one listened.
            await wakeups.signal()
            for try await _ in notifications { await wakeups.signal() }
        }
    }
}
