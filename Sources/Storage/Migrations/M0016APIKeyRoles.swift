extension Migration {
    /// Each API key's role (what it may do; keys made before are admins, as they could do everything but
    /// manage users) and an optional expiry.
    static let m0016APIKeyRoles = Migration(name: "0016_api_key_roles") { kind in
        [
            "ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'",
            "ALTER TABLE api_keys ADD COLUMN expires_at \(kind.timestampType)",
        ]
    }
}
