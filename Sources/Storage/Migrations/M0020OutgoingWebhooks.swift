extension Migration {
    /// Outgoing webhooks: the endpoints a workspace subscribed, the messages owed to each (an outbox written
    /// in the transaction of the change), and every delivery attempt.
    static let m0020OutgoingWebhooks = Migration(name: "0020_outgoing_webhooks") { kind in
        let ts = kind.timestampType
        return [
            // `events` is a JSON array of event types, or ["*"]. `secret` is the signing secret, sealed with the
            // master key when there is one; the previous secret still signs until `previous_secret_until`.
            """
            CREATE TABLE webhook_endpoints (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                url TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                events TEXT NOT NULL,
                secret TEXT NOT NULL,
                previous_secret TEXT,
                previous_secret_until \(ts),
                status TEXT NOT NULL,
                disabled_reason TEXT,
                failing_since \(ts),
                created_at \(ts) NOT NULL,
                updated_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, status)",
            // One message per event and endpoint; its id is the `webhook-id` header, the same on every attempt,
            // and its body is fixed when it is written, so every attempt sends (and signs) the same bytes.
            """
            CREATE TABLE webhook_messages (
                id TEXT PRIMARY KEY,
                workspace_id TEXT NOT NULL,
                endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
                event_type TEXT NOT NULL,
                subject TEXT,
                body TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at \(ts) NOT NULL,
                lease_until \(ts),
                last_status INTEGER,
                last_error TEXT,
                delivered_at \(ts),
                created_at \(ts) NOT NULL
            )
            """,
            "CREATE INDEX webhook_messages_due ON webhook_messages (next_attempt_at) WHERE state = 'pending'",
            """
            CREATE INDEX webhook_messages_order ON webhook_messages (endpoint_id, subject, created_at)
            WHERE state = 'pending'
            """,
            "CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, created_at)",
            """
            CREATE TABLE webhook_attempts (
                id TEXT PRIMARY KEY,
                message_id TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
                endpoint_id TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                started_at \(ts) NOT NULL,
                duration_ms INTEGER NOT NULL,
                status_code INTEGER,
                error TEXT,
                response_excerpt TEXT NOT NULL DEFAULT '',
                succeeded INTEGER NOT NULL
            )
            """,
            "CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, started_at)",
            "CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, started_at)",
        ]
    }
}
