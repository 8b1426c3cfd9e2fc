import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replaces the database with a backup made by `leadgen backup`. Stop every server and worker first.",
        discussion: """
            SQLite: the backup is checked (integrity, and migrations this version knows) before the database file \
            is replaced; a failure leaves it as it was. PostgreSQL: pg_restore replaces the tables' contents in \
            one transaction. Pending migrations are applied at the next start.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .shortAndLong, help: "The backup to restore.")
    var input: String

    @Flag(help: "Confirms that the current database is to be replaced.")
    var replace = false

    func run() async throws {
        let config: LeadgenConfig
        do {
            config = try await LeadgenConfig.load(overrides: options.overrides)
        } catch let error as ConfigError {
            throw CommandFailure(error.description)
        }
        LoggingSetup.bootstrap(level: config.logLevel, format: config.logFormat, time: .system)
        let logger = Logger(label: "leadgen")
        do {
            switch config.databaseURL {
            case .sqlite(let path):
                let exists = FileManager.default.fileExists(atPath: path)
                if exists && !replace {
                    let summary = try await SQLiteBackup.inspect(input, logger: logger)
                    throw CommandFailure(
                        "\(input) holds \(summary.leads) leads (migration \(summary.lastMigration)); \(path) exists: add --replace to replace it"
                    )
                }
                let summary = try await SQLiteBackup.restore(input, over: path, logger: logger)
                print(
                    "restored \(input) to \(config.databaseURL): \(summary.leads) leads, at migration \(summary.lastMigration)"
                )
            case .postgres(let url):
                guard replace else {
                    throw CommandFailure("restoring replaces what \(config.databaseURL) holds: add --replace")
                }
                try PostgresClientTools().restore(input, into: url)
                print("restored \(input) to \(config.databaseURL)")
            }
        } catch let problem as BackupProblem {
            throw CommandFailure(problem.description)
        }
    }
}
