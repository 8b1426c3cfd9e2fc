extension Migration {
    /// What verification found out about each address of a workspace, kept as a cache: an address checked
    /// recently is not checked again.
    static let m0023EmailVerifications = Migration(name: "0023_email_verifications") { kind in
        let ts = kind.timestampType
        return [
            // `mail_exchangers` is a JSON array of host names, most preferred first.
            """
            CREATE TABLE email_verifications (
                workspace_id TEXT NOT NULL REFERENCES workspaces (id),
                email TEXT NOT NULL,
                outcome TEXT NOT NULL,
                reason TEXT NOT NULL,
                mail_exchangers TEXT NOT NULL,
                role_account INTEGER NOT NULL,
                disposable INTEGER NOT NULL,
                checked_at \(ts) NOT NULL,
                PRIMARY KEY (workspace_id, email)
            )
            """
        ]
    }
}
