import Foundation

/// Where the data lives: an embedded SQLite file or a PostgreSQL server, read from `DATABASE_URL`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:data/leadgen.sqlite` (relative to the working directory) or `sqlite:/var/lib/leadgen.sqlite`.
    case sqlite(path: String)
    /// `postgres://user:pass@host:5432/db`, kept whole for the driver.
    case postgres(url: String)

    public static let defaultValue = DatabaseURL.sqlite(path: "data/leadgen.sqlite")

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public init(parsing text: String) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw Problem(description: "DATABASE_URL: sqlite: needs a file path") }
            self = .sqlite(path: path)
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), components.host?.isEmpty == false,
                components.user != nil
            else {
                throw Problem(description: "DATABASE_URL: expected postgres://user:password@host:port/database")
            }
            self = .postgres(url: trimmed)
        } else {
            throw Problem(
                description: "DATABASE_URL: expected sqlite:PATH or postgres://user:password@host:port/database")
        }
    }

    /// The PostgreSQL URL, or nil for SQLite.
    public var postgresURL: String? {
        if case .postgres(let url) = self { return url }
        return nil
    }

    /// The URL with any password replaced, for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "redacted" }
            return components.string ?? "postgres://…"
        }
    }
}
