extension Migration {
    /// Platform events that start scenarios, which events each scenario watches, and the executions a run
    /// parked to be retried later (Make's incomplete executions).
    static let m0008AutomationEvents = Migration(name: "0008_automation_events") { kind in
        let ts = kind.timestampType
        return [
            // An outbox: written in the transaction that changed the data, deleted in the transaction that
            // queues the runs it starts, so every event starts its runs exactly once.
            """
            CREATE TABLE automation_events (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                subject TEXT,
                payload TEXT NOT NULL,
                created_at \(ts) NOT NULL
            )
            """,
            """
            CREATE TABLE scenario_subscriptions (
                scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
                workspace_id TEXT NOT NULL,
                event TEXT NOT NULL,
                PRIMARY KEY (scenario_id, event)
            )
            """,
            "CREATE INDEX scenario_subscriptions_event ON scenario_subscriptions (workspace_id, event)",
            // A bundle a run could not finish (`builtin:Break`, or an error with incomplete executions on):
            // where it stopped, the outputs it had, and when it is tried again.
            """
            CREATE TABLE scenario_incomplete (
                id TEXT PRIMARY KEY,
                scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
                workspace_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                module_id INTEGER NOT NULL,
                outputs TEXT,
                error TEXT NOT NULL,
                auto_retry INTEGER NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                max_attempts INTEGER NOT NULL,
                interval_minutes INTEGER NOT NULL,
                status TEXT NOT NULL,
                next_attempt_at \(ts),
                last_run_id TEXT,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX scenario_incomplete_scenario ON scenario_incomplete (scenario_id, created_at)",
            "CREATE INDEX scenario_incomplete_due ON scenario_incomplete (next_attempt_at) WHERE next_attempt_at IS NOT NULL",
            "CREATE INDEX scenario_runs_finished ON scenario_runs (finished_at)",
            // A sequential scenario runs one run at a time, in order: the next run's job is queued when the
            // one before finishes.
            "ALTER TABLE scenarios ADD COLUMN sequential INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX scenario_runs_open ON scenario_runs (scenario_id, status, created_at)",
            // A run a webhook request runs itself is held by its process until `lease_until` (renewed while it
            // runs); a run whose hold ran out is taken over as a job.
            "ALTER TABLE scenario_runs ADD COLUMN lease_until \(ts)",
            "CREATE INDEX scenario_runs_lease ON scenario_runs (lease_until) WHERE lease_until IS NOT NULL",
            // The effect ledger of scenario runs: each module execution that acts on the outside world, by
            // run and position, started before the call and done with its outputs after it. A run repeated
            // after a crash replays what was done and never repeats a call whose outcome is unknown.
            """
            CREATE TABLE scenario_effects (
                run_id TEXT NOT NULL REFERENCES scenario_runs (id) ON DELETE CASCADE,
                effect_key TEXT NOT NULL,
                state TEXT NOT NULL,
                outputs TEXT,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL,
                PRIMARY KEY (run_id, effect_key)
            )
            """,
        ]
    }
}
