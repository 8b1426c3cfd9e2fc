extension Migration {
    /// Each mobile number asked of Apollo: pending until its webhook delivery, or skipped when Apollo said it
    /// will send nothing, so nobody waits for a delivery that will not come.
    static let m0018PhoneReveals = Migration(name: "0018_phone_reveals") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE phone_reveals (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                person_id TEXT NOT NULL,
                lead_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                status TEXT NOT NULL,
                request_id TEXT,
                detail TEXT,
                requested_at \(ts) NOT NULL,
                settled_at \(ts),
                PRIMARY KEY (workspace_id, person_id)
            )
            """,
            "CREATE INDEX phone_reveals_lead ON phone_reveals (workspace_id, lead_id)",
            "CREATE INDEX phone_reveals_run ON phone_reveals (run_id, status)",
        ]
    }
}
