extension Migration {
    /// Automation scenarios (Make.com blueprints) and their run history.
    static let m0007Scenarios = Migration(name: "0007_scenarios") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE scenarios (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                blueprint TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                hook_token TEXT NOT NULL UNIQUE,
                next_run_at \(ts),
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX scenarios_workspace ON scenarios (workspace_id, name)",
            "CREATE INDEX scenarios_due ON scenarios (next_run_at) WHERE next_run_at IS NOT NULL",
            // One run: what triggered it, its status and, unless the scenario is confidential, its report
            // with every module's input and output bundles.
            """
            CREATE TABLE scenario_runs (
                id TEXT PRIMARY KEY,
                scenario_id TEXT NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
                workspace_id TEXT NOT NULL,
                trigger_kind TEXT NOT NULL,
                status TEXT NOT NULL,
                input TEXT,
                operations INTEGER NOT NULL DEFAULT 0,
                report TEXT,
                response TEXT,
                error TEXT,
                created_at \(ts) NOT NULL,
                finished_at \(ts)
            )
            """,
            "CREATE INDEX scenario_runs_scenario ON scenario_runs (scenario_id, created_at)",
            // Make's data stores: records by key in numbered stores, per workspace.
            """
            CREATE TABLE data_store_records (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                data_store INTEGER NOT NULL,
                record_key TEXT NOT NULL,
                data TEXT NOT NULL,
                updated_at \(ts) NOT NULL,
                PRIMARY KEY (workspace_id, data_store, record_key)
            )
            """,
        ]
    }
}
