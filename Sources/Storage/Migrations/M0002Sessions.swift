extension Migration {
    /// Dashboard login sessions, kept in the database so any server instance can serve any request.
    static let m0002Sessions = Migration(name: "0002_sessions") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at \(ts) NOT NULL,
                expires_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX sessions_expires ON sessions (expires_at)",
        ]
    }
}
