extension Migration {
    /// Which CRM account (a HubSpot portal) each workspace's connection writes to, learned from the CRM
    /// itself: a CRM's webhook names its account, and object ids are unique only within one account. The
    /// credential's fingerprint says when to learn it again (a new token may reach another account).
    static let m0017CRMAccounts = Migration(name: "0017_crm_accounts") { kind in
        [
            """
            CREATE TABLE crm_accounts (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                provider TEXT NOT NULL,
                account_id TEXT NOT NULL,
                credential TEXT NOT NULL,
                learned_at \(kind.timestampType) NOT NULL,
                PRIMARY KEY (workspace_id, provider)
            )
            """,
            "CREATE INDEX crm_accounts_account ON crm_accounts (provider, account_id)",
        ]
    }
}
