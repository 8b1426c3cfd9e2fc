extension Migration {
    /// What outreach sends and who sends it: the senders (mailboxes and numbers, each with its limits) and the
    /// messages, the effect ledger of every send keyed by enrolment and step, with what came of each.
    static let m0012OutreachMessages = Migration(name: "0012_outreach_messages") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE senders (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
                channel TEXT NOT NULL,
                provider TEXT NOT NULL,
                address TEXT NOT NULL,
                name TEXT NOT NULL,
                title TEXT,
                physical_address TEXT,
                daily_limit INTEGER,
                hourly_limit INTEGER,
                min_interval_seconds INTEGER NOT NULL DEFAULT 0,
                jitter_seconds INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL,
                UNIQUE (workspace_id, channel, address)
            )
            """,
            // One row per enrolment and step: written as 'sending' just before the vendor is called, so a crash
            // between the call and its outcome leaves it 'sending', which the next pass turns into 'unknown'.
            """
            CREATE TABLE messages (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                sequence_id TEXT NOT NULL,
                enrollment_id TEXT NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
                lead_id TEXT NOT NULL,
                step_index INTEGER NOT NULL,
                step_id TEXT NOT NULL,
                variant TEXT,
                channel TEXT NOT NULL,
                provider TEXT NOT NULL,
                sender_id TEXT,
                recipient TEXT NOT NULL,
                recipient_domain TEXT,
                subject TEXT,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                error TEXT,
                provider_message_id TEXT,
                created_at \(ts) NOT NULL,
                sent_at \(ts),
                delivered_at \(ts),
                opened_at \(ts),
                clicked_at \(ts),
                replied_at \(ts),
                bounced_at \(ts),
                unsubscribed_at \(ts),
                spam_reported_at \(ts),
                failed_at \(ts),
                updated_at \(ts) NOT NULL,
                UNIQUE (enrollment_id, step_index)
            )
            """,
            "CREATE INDEX messages_sender ON messages (sender_id, created_at)",
            "CREATE INDEX messages_provider_id ON messages (provider, provider_message_id)",
            "CREATE INDEX messages_sequence ON messages (sequence_id, step_index)",
            "CREATE INDEX messages_recipient ON messages (workspace_id, recipient, created_at)",
            "CREATE INDEX messages_domain ON messages (workspace_id, recipient_domain, created_at)",
            "CREATE INDEX messages_status ON messages (status)",
            "ALTER TABLE message_events ADD COLUMN message_id TEXT",
            // Why an enrolment stopped or waits: replied, unknown_send, no_sender, a suppression's reason…
            "ALTER TABLE enrollments ADD COLUMN status_reason TEXT",
        ]
    }
}
