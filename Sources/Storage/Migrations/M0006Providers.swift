extension Migration {
    /// Provider connections, enrichment runs with their credit accounting and cache, CRM sync state, and
    /// saved searches.
    static let m0006Providers = Migration(name: "0006_providers") { kind in
        let ts = kind.timestampType
        return [
            // A workspace's credentials for one provider, sealed with AES-GCM under the master key.
            """
            CREATE TABLE provider_connections (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                sealed_secret TEXT NOT NULL,
                base_url TEXT,
                settings TEXT NOT NULL,
                updated_at \(ts) NOT NULL,
                PRIMARY KEY (workspace_id, provider)
            )
            """,
            // Credits are counted in thousandths: vendors report fractional credits.
            """
            CREATE TABLE enrichment_runs (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                filter TEXT NOT NULL,
                providers TEXT NOT NULL,
                budget_millicredits BIGINT,
                reserved_millicredits BIGINT NOT NULL DEFAULT 0,
                spent_millicredits BIGINT NOT NULL DEFAULT 0,
                leads_selected INTEGER NOT NULL DEFAULT 0,
                leads_enriched INTEGER NOT NULL DEFAULT 0,
                leads_not_found INTEGER NOT NULL DEFAULT 0,
                leads_from_cache INTEGER NOT NULL DEFAULT 0,
                leads_over_budget INTEGER NOT NULL DEFAULT 0,
                leads_interrupted INTEGER NOT NULL DEFAULT 0,
                leads_failed INTEGER NOT NULL DEFAULT 0,
                batches_total INTEGER NOT NULL DEFAULT 0,
                batches_done INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                created_at \(ts) NOT NULL,
                finished_at \(ts)
            )
            """,
            "CREATE INDEX enrichment_runs_workspace ON enrichment_runs (workspace_id, created_at)",
            // One batch of at most ten leads; `state` says how far it got, so a retry after a crash resumes
            // instead of paying again.
            """
            CREATE TABLE enrichment_batches (
                run_id TEXT NOT NULL REFERENCES enrichment_runs (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                workspace_id TEXT NOT NULL,
                lead_ids TEXT NOT NULL,
                state TEXT NOT NULL,
                calling_provider TEXT,
                reserved_millicredits BIGINT NOT NULL DEFAULT 0,
                spent_millicredits BIGINT NOT NULL DEFAULT 0,
                error TEXT,
                updated_at \(ts) NOT NULL,
                PRIMARY KEY (run_id, seq)
            )
            """,
            // What a provider answered for one lookup (an e-mail, a LinkedIn URL, an Apollo id), so the
            // same person is not paid for again while the answer is fresh.
            """
            CREATE TABLE enrichment_cache (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                lookup_key TEXT NOT NULL,
                response TEXT NOT NULL,
                fetched_at \(ts) NOT NULL,
                PRIMARY KEY (workspace_id, provider, lookup_key)
            )
            """,
            // Every credit spent, once per batch and provider.
            """
            CREATE TABLE credit_ledger (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                run_id TEXT NOT NULL,
                batch_seq INTEGER NOT NULL,
                millicredits BIGINT NOT NULL,
                created_at \(ts) NOT NULL,
                UNIQUE (run_id, batch_seq, provider)
            )
            """,
            "CREATE INDEX credit_ledger_workspace ON credit_ledger (workspace_id, created_at)",
            // The latest enrichment outcome of each lead.
            """
            CREATE TABLE lead_enrichments (
                lead_id TEXT PRIMARY KEY REFERENCES leads (id) ON DELETE CASCADE,
                workspace_id TEXT NOT NULL,
                provider TEXT,
                status TEXT NOT NULL,
                run_id TEXT,
                detail TEXT,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX lead_enrichments_status ON lead_enrichments (workspace_id, status)",
            """
            CREATE TABLE sync_runs (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                status TEXT NOT NULL,
                scope TEXT NOT NULL,
                leads_selected INTEGER NOT NULL DEFAULT 0,
                leads_created INTEGER NOT NULL DEFAULT 0,
                leads_updated INTEGER NOT NULL DEFAULT 0,
                leads_unchanged INTEGER NOT NULL DEFAULT 0,
                leads_failed INTEGER NOT NULL DEFAULT 0,
                batches_total INTEGER NOT NULL DEFAULT 0,
                batches_done INTEGER NOT NULL DEFAULT 0,
                error TEXT,
                created_at \(ts) NOT NULL,
                finished_at \(ts)
            )
            """,
            "CREATE INDEX sync_runs_workspace ON sync_runs (workspace_id, created_at)",
            """
            CREATE TABLE sync_batches (
                run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                lead_ids TEXT NOT NULL,
                done INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (run_id, seq)
            )
            """,
            // What a CRM holds for each lead and company: its record id there and a digest of what was sent.
            """
            CREATE TABLE crm_records (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                object_type TEXT NOT NULL,
                local_id TEXT NOT NULL,
                remote_id TEXT,
                content_hash TEXT,
                synced_at \(ts),
                last_error TEXT,
                PRIMARY KEY (provider, object_type, local_id)
            )
            """,
            "CREATE INDEX crm_records_remote ON crm_records (workspace_id, provider, object_type, remote_id)",
            """
            CREATE TABLE saved_searches (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                provider TEXT NOT NULL,
                query TEXT NOT NULL,
                max_results INTEGER,
                created_at \(ts) NOT NULL,
                last_run_at \(ts),
                last_summary TEXT,
                UNIQUE (workspace_id, name)
            )
            """,
            // Webhook deliveries already applied, so a retried delivery changes nothing.
            """
            CREATE TABLE webhook_deliveries (
                provider TEXT NOT NULL,
                delivery_key TEXT NOT NULL,
                received_at \(ts) NOT NULL,
                PRIMARY KEY (provider, delivery_key)
            )
            """,
            // Tokens handed to Apollo in a phone-reveal request; its delivery names the run it belongs to.
            """
            CREATE TABLE webhook_tokens (
                token_hash TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                provider TEXT NOT NULL,
                purpose TEXT NOT NULL,
                created_at \(ts) NOT NULL,
                expires_at \(ts) NOT NULL
            )
            """,
        ]
    }
}
