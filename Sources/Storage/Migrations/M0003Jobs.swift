extension Migration {
    /// The durable job queue: jobs live in the same database as the data, so enqueuing is part of the
    /// business transaction.
    static let m0003Jobs = Migration(name: "0003_jobs") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                workspace_id TEXT,
                queue TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                priority INTEGER NOT NULL,
                state TEXT NOT NULL,
                run_at \(ts) NOT NULL,
                attempts INTEGER NOT NULL,
                max_attempts INTEGER NOT NULL,
                unique_key TEXT,
                locked_by TEXT,
                locked_until \(ts),
                last_error TEXT,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL,
                finished_at \(ts)
            )
            """,
            "CREATE INDEX jobs_ready ON jobs (queue, priority, run_at) WHERE state = 'pending'",
            "CREATE INDEX jobs_leases ON jobs (locked_until) WHERE state = 'running'",
            "CREATE INDEX jobs_state ON jobs (state, id)",
            // A second enqueue with the same key is a no-op while the first is pending or running.
            """
            CREATE UNIQUE INDEX jobs_unique_active ON jobs (unique_key)
            WHERE unique_key IS NOT NULL AND state IN ('pending', 'running')
            """,
        ]
    }
}
