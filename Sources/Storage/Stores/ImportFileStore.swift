import Foundation
import SQLKit

/// Keeps an uploaded file in the database, in 1 MiB pieces, from upload until its import has run.
public struct ImportFileStore: Sendable {
    let database: LeadgenDatabase
    static let chunkSize = 1024 * 1024

    public init(database: LeadgenDatabase) {
        self.database = database
    }

    /// Stores the file at `path` for the import, on `db` (the caller's transaction).
    public func store(fileAt path: String, for importID: String, on db: any SQLDatabase) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.notFound("upload \(path)") }
        defer { try? handle.close() }
        var seq = 0
        while let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty {
            try await db.insert(into: "import_chunks").columns("import_id", "seq", "data")
                .values(SQLBind(importID), SQLBind(seq), SQLBind(data)).run()
            seq += 1
        }
    }

    /// Writes the stored file to `path`, one piece at a time.
    public func restore(_ importID: String, to path: String) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw StoreError.notFound("a writable temporary file at \(path)") }
        defer { try? handle.close() }
        var seq = 0
        while let row = try await database.sql.select().column("data").from("import_chunks")
            .where("import_id", .equal, importID).where("seq", .equal, seq).first()
        {
            try handle.write(contentsOf: try row.decode(column: "data", as: Data.self))
            seq += 1
        }
    }

    public func delete(_ importID: String) async throws {
        try await database.sql.delete(from: "import_chunks").where("import_id", .equal, importID).run()
    }
}
