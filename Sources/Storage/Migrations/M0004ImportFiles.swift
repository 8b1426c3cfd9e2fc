extension Migration {
    /// Uploaded CSV files kept in the database until their import job has run, so any worker on any
    /// machine can run it and a restart loses nothing.
    static let m0004ImportFiles = Migration(name: "0004_import_files") { kind in
        [
            """
            CREATE TABLE import_chunks (
                import_id TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                data \(kind == .postgres ? "BYTEA" : "BLOB") NOT NULL,
                PRIMARY KEY (import_id, seq)
            )
            """
        ]
    }
}
