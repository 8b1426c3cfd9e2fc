extension Migration {
    /// Leads enrolled in sequences: one enrolment per lead and sequence, its status and where it stands.
    static let m0011Enrollments = Migration(name: "0011_enrollments") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE enrollments (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                sequence_id TEXT NOT NULL REFERENCES sequences (id) ON DELETE CASCADE,
                lead_id TEXT NOT NULL,
                status TEXT NOT NULL,
                step_index INTEGER NOT NULL DEFAULT 0,
                next_action_at \(ts),
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL,
                UNIQUE (sequence_id, lead_id)
            )
            """,
            "CREATE INDEX enrollments_lead ON enrollments (workspace_id, lead_id, status)",
            "CREATE INDEX enrollments_due ON enrollments (status, next_action_at)",
        ]
    }
}
