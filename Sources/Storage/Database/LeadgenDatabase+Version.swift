import SQLKit

extension LeadgenDatabase {
    /// The database engine and its version, such as "PostgreSQL 15.18" or "SQLite 3.50.4".
    public func engineVersion() async throws -> String {
        switch kind {
        case .postgres:
            let row = try await sql.raw("SHOW server_version").first()
            return "PostgreSQL " + ((try? row?.decode(column: "server_version", as: String.self)) ?? "?")
        case .sqlite:
            let row = try await sql.raw("SELECT sqlite_version() AS v").first()
            return "SQLite " + ((try? row?.decode(column: "v", as: String.self)) ?? "?")
        }
    }
}
