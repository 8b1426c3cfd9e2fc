extension Migration {
    /// Inbound webhooks: a URL per form tool that turns what it posts into leads, with how its fields map.
    static let m0022InboundHooks = Migration(name: "0022_inbound_hooks") { kind in
        let ts = kind.timestampType
        return [
            // The token in the URL is kept only as its SHA-256; `mapping` is an import mapping (JSON).
            """
            CREATE TABLE inbound_hooks (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                mapping TEXT NOT NULL,
                received INTEGER NOT NULL DEFAULT 0,
                last_received_at \(ts),
                created_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX inbound_hooks_workspace ON inbound_hooks (workspace_id, created_at)",
        ]
    }
}
