/// The two databases Leadgen runs on, for the few places where their SQL differs (DDL types, locking).
public enum SQLDialectKind: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// Column type for a point in time: PostgreSQL's `TIMESTAMPTZ`; SQLite stores seconds since 1970.
    var timestampType: String { self == .postgres ? "TIMESTAMPTZ" : "REAL" }
}
