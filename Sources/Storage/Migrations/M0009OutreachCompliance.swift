extension Migration {
    /// What outreach must honour before it sends anything: the suppression list, the audit trail of
    /// opt-outs and consent, and the messaging vendors' events, each kept once.
    static let m0009OutreachCompliance = Migration(name: "0009_outreach_compliance") { kind in
        let ts = kind.timestampType
        return [
            // E-mail addresses, domains and phone numbers no message may go to, per workspace.
            """
            CREATE TABLE suppressions (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                created_at \(ts) NOT NULL,
                PRIMARY KEY (workspace_id, kind, value)
            )
            """,
            // Append-only: every opt-out and opt-in, with where it came from.
            """
            CREATE TABLE consent_events (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                value TEXT NOT NULL,
                action TEXT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                detail TEXT,
                created_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX consent_events_value ON consent_events (workspace_id, kind, value, created_at)",
            // Delivery events from SendGrid, Mailgun and Twilio, each kept once by the vendor's own key.
            """
            CREATE TABLE message_events (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                provider TEXT NOT NULL,
                event_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                recipient TEXT,
                provider_message_id TEXT,
                payload TEXT NOT NULL,
                occurred_at \(ts) NOT NULL,
                received_at \(ts) NOT NULL,
                UNIQUE (provider, event_key)
            )
            """,
            "CREATE INDEX message_events_message ON message_events (provider, provider_message_id)",
        ]
    }
}
