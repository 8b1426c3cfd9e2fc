extension Migration {
    /// Wrong passwords in a row per account and per client address, and until when each must wait.
    static let m0015LoginThrottle = Migration(name: "0015_login_throttle") { kind in
        let ts = kind.timestampType
        return [
            """
            CREATE TABLE login_throttle (
                throttle_key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                blocked_until \(ts),
                updated_at \(ts) NOT NULL
            )
            """
        ]
    }
}
