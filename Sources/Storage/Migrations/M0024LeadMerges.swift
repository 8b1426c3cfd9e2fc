extension Migration {
    /// Fuzzy de-duplication's memory: the pairs of leads found alike and what was decided about each, and
    /// every merge of one lead into another with what it takes to undo it.
    static let m0024LeadMerges = Migration(name: "0024_lead_merges") { kind in
        let ts = kind.timestampType
        let real = kind == .postgres ? "DOUBLE PRECISION" : "REAL"
        return [
            // One row per pair, `lead_a` < `lead_b`. `state` is `open` (to review), `merged` or `distinct`
            // (a person said they are two people: never proposed again). `agreed` names the fields that agreed.
            """
            CREATE TABLE duplicate_pairs (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                lead_a TEXT NOT NULL,
                lead_b TEXT NOT NULL,
                probability \(real) NOT NULL,
                agreed TEXT NOT NULL,
                state TEXT NOT NULL,
                found_at \(ts) NOT NULL,
                decided_at \(ts),
                decided_by TEXT,
                PRIMARY KEY (workspace_id, lead_a, lead_b)
            )
            """,
            "CREATE INDEX duplicate_pairs_state ON duplicate_pairs (workspace_id, state, probability)",
            // `record` is JSON: both leads' values before, the survivor's after, and every row the merge moved.
            """
            CREATE TABLE lead_merges (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                survivor_id TEXT NOT NULL,
                absorbed_id TEXT NOT NULL,
                probability \(real),
                record TEXT NOT NULL,
                actor TEXT,
                created_at \(ts) NOT NULL,
                undone_at \(ts)
            )
            """,
            "CREATE INDEX lead_merges_absorbed ON lead_merges (workspace_id, absorbed_id)",
            "CREATE INDEX lead_merges_survivor ON lead_merges (workspace_id, survivor_id)",
        ]
    }
}
