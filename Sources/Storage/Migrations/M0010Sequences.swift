extension Migration {
    /// Outreach sequences as written (their definition JSON), per workspace.
    static let m0010Sequences = Migration(name: "0010_sequences") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE sequences (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX sequences_workspace ON sequences (workspace_id, name)",
        ]
    }
}
