extension Migration {
    /// How many times a job's worker died (its lease ran out) while running it, apart from its attempts: a
    /// job that kills its process is given up after a few deaths instead of killing every worker in turn.
    static let m0013JobDeaths = Migration(name: "0013_job_deaths") { _ in
        ["ALTER TABLE jobs ADD COLUMN worker_deaths INTEGER NOT NULL DEFAULT 0"]
    }
}
