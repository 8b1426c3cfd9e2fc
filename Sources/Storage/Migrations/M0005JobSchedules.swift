extension Migration {
    /// Recurring jobs: each schedule enqueues its job whenever its cron expression comes due.
    static let m0005JobSchedules = Migration(name: "0005_job_schedules") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE job_schedules (
                name TEXT PRIMARY KEY,
                cron TEXT NOT NULL,
                time_zone TEXT NOT NULL,
                queue TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL,
                next_run_at \(ts) NOT NULL,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX job_schedules_due ON job_schedules (next_run_at)",
        ]
    }
}
