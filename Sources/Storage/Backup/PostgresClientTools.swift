import Foundation

/// Backups of a PostgreSQL database with PostgreSQL's own tools: `pg_dump --format=custom` and
/// `pg_restore --clean --if-exists --single-transaction`. The connection goes to them in libpq's environment
/// variables (`PGHOST`, `PGPASSWORD`, …), never on a command line another user could read.
public struct PostgresClientTools: Sendable {
    /// Where the tools are: found on `PATH`, else in the newest `/usr/lib/postgresql/*/bin`.
    public var directory: String?
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        directory = Self.locate("pg_dump", path: environment["PATH"] ?? "")
    }

    /// Writes a custom-format dump of the database at `url` to `path`, which must not exist yet.
    public func dump(_ url: String, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw BackupProblem("\(path) exists already: choose a new file name")
        }
        try run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(path)"], url: url)
    }

    /// Restores a dump made by `dump` into the database at `url`, replacing what its tables hold, in one
    /// transaction: a failure leaves the database as it was.
    public func restore(_ path: String, into url: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw BackupProblem("\(path): no such file") }
        try run(
            "pg_restore",
            [
                "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                path,
            ],
            url: url, namingTheDatabase: true)
    }

    /// The libpq environment for `url`: host, port, user, password, database and TLS mode.
    public static func connectionEnvironment(_ url: String) throws -> [String: String] {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            let user = components.user
        else {
            throw BackupProblem("DATABASE_URL: expected postgres://user:password@host:port/database")
        }
        var values = ["PGHOST": host, "PGUSER": user.removingPercentEncoding ?? user]
        if let port = components.port { values["PGPORT"] = String(port) }
        if let password = components.password { values["PGPASSWORD"] = password.removingPercentEncoding ?? password }
        let database = String(components.path.drop(while: { $0 == "/" }))
        values["PGDATABASE"] = database.isEmpty ? user : (database.removingPercentEncoding ?? database)
        let mode = components.queryItems?.last { ["sslmode", "tlsmode", "ssl", "tls"].contains($0.name.lowercased()) }?
            .value
        // libpq's `require` encrypts without checking the certificate, where Leadgen's client checks it: set
        // PGSSLMODE=verify-full and PGSSLROOTCERT in the environment to have the tools check it too.
        switch mode {
        case "disable", "false": values["PGSSLMODE"] = "disable"
        case "require", "verify-ca", "verify-full": values["PGSSLMODE"] = "require"
        default: values["PGSSLMODE"] = "prefer"
        }
        return values
    }

    private func run(_ tool: String, _ arguments: [String], url: String, namingTheDatabase: Bool = false) throws {
        guard let directory else {
            throw BackupProblem(
                "\(tool) was not found: install PostgreSQL's client tools (the postgresql-client package) of the server's version or newer"
            )
        }
        let connection = try Self.connectionEnvironment(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory).appendingPathComponent(tool)
        // pg_restore takes the database to restore into as an option; the rest come from the environment.
        process.arguments = namingTheDatabase ? ["--dbname=\(connection["PGDATABASE"] ?? "")"] + arguments : arguments
        // The URL names the server, user and database; a TLS mode the operator set for libpq wins over the
        // one the URL implies.
        var values = environment.merging(connection) { _, url in url }
        if let mode = environment["PGSSLMODE"] { values["PGSSLMODE"] = mode }
        process.environment = values
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: output.prefix(4096), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw BackupProblem("\(tool) failed (exit \(process.terminationStatus)): \(message)")
        }
    }

    static func locate(_ tool: String, path: String) -> String? {
        let files = FileManager.default
        for directory in path.split(separator: ":").map(String.init) where !directory.isEmpty {
            if files.isExecutableFile(atPath: directory + "/" + tool) { return directory }
        }
        let installed = (try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = installed.compactMap { name in Int(name).map { ($0, name) } }.sorted { $0.0 > $1.0 }
        for (_, name) in newest where files.isExecutableFile(atPath: "/usr/lib/postgresql/\(name)/bin/\(tool)") {
            return "/usr/lib/postgresql/\(name)/bin"
        }
        return nil
    }
}
