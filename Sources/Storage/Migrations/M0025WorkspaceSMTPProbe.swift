extension Migration {
    /// Whether a workspace has turned the SMTP probe of e-mail verification on for its addresses (the
    /// operator's `LEADGEN_SMTP_PROBE=1` turns it on for the default workspace and makes it available to all).
    static let m0025WorkspaceSMTPProbe = Migration(name: "0025_workspace_smtp_probe") { _ in
        ["ALTER TABLE workspaces ADD COLUMN smtp_probe INTEGER NOT NULL DEFAULT 0"]
    }
}
