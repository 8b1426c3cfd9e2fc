import App
import ArgumentParser
import Storage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Applies pending database migrations (the server also applies them at start).")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "Prints the schema the migrations build, instead of applying them.")
    var printSchema = false

    @Option(help: "With --print-schema: the database whose SQL to print (postgres or sqlite).")
    var dialect: String = "postgres"

    func run() async throws {
        if printSchema {
            guard let kind = SQLDialectKind(rawValue: dialect) else {
                throw ValidationError("--dialect: expected postgres or sqlite, got '\(dialect)'")
            }
            print(Migration.schemaSQL(for: kind), terminator: "")
            return
        }
        let runtime = try await Runtime.start(options)
        try await runtime.run {
            let applied = try await Migrator(database: runtime.database, time: runtime.time, logger: runtime.logger)
                .appliedNames()
            print(
                "database \(runtime.config.databaseURL) is at migration \(applied.last ?? "none") (\(applied.count) applied)"
            )
        }
    }
}
