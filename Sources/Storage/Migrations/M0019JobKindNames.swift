extension Migration {
    /// Job kinds are spelled one way, in snake_case: the two outreach kinds written with a dot are renamed
    /// where they wait (queued jobs, the schedule), so a job queued before the upgrade still finds its handler.
    static let m0019JobKindNames = Migration(name: "0019_job_kind_names") { _ in
        [
            ("outreach.dispatch", "outreach_dispatch"),
            ("outreach.tick", "outreach_tick"),
        ].flatMap { old, new in
            [
                "UPDATE jobs SET kind = '\(new)' WHERE kind = '\(old)'",
                "UPDATE job_schedules SET kind = '\(new)' WHERE kind = '\(old)'",
            ]
        }
    }
}
