import App
import ArgumentParser
import Foundation
import Storage

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Writes a consistent copy of the database to a new file, while the server runs.",
        discussion: """
            SQLite: a copy of the database file (VACUUM INTO), restored with `leadgen restore`. PostgreSQL: a \
            pg_dump archive in its custom format (PostgreSQL's client tools must be installed). Pending \
            migrations are not applied first: the copy is of the database as it is.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(name: .shortAndLong, help: "The file to write; it must not exist.")
    var output: String

    func run() async throws {
        let runtime = try await Runtime.start(options, migrating: false)
        try await runtime.run {
            do {
                switch runtime.config.databaseURL {
                case .sqlite:
                    try await SQLiteBackup.write(from: runtime.database, to: output)
                    let summary = try await SQLiteBackup.inspect(output, logger: runtime.logger)
                    print(
                        "backed up \(runtime.config.databaseURL) to \(output): \(summary.leads) leads, at migration \(summary.lastMigration)"
                    )
                case .postgres(let url):
                    try PostgresClientTools().dump(url, to: output)
                    print("backed up \(runtime.config.databaseURL) to \(output) (pg_dump, custom format)")
                }
            } catch let problem as BackupProblem {
                throw CommandFailure(problem.description)
            }
        }
    }
}
