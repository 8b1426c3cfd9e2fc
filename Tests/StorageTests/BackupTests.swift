import Foundation
import LeadgenCore
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// `leadgen backup` and `restore`: a copy taken from a live database comes back whole, and nothing is replaced
/// by a file that is not a good backup of this Leadgen.
@Suite struct BackupTests {
    func seed(_ database: LeadgenDatabase, count: Int) async throws {
        let ids = IDGenerator.uuidV7
        let workspace = try await WorkspaceStore(database: database, ids: ids, time: .system).findOrCreate(slug: "acme")
            .id
        let items = (0..<count).map { n in
            var fields = LeadFields()
            fields.email = try? EmailAddress(parsing: "person\(n)@example.com")
            fields.lastName = "Person \(n)"
            return IngestItem(
                input: LeadInput(fields: fields, company: CompanyFields()), source: LeadSourceRef(kind: "api"))
        }
        _ = try await LeadIngestor(database: database, ids: ids, time: .system).ingest(items, into: workspace)
    }

    func leads(in database: LeadgenDatabase) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM leads").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lg-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aSQLiteBackupRestoresWhole() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let backup = folder.appendingPathComponent("backup.sqlite").path
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            try await seed(database, count: 40)
            try await SQLiteBackup.write(from: database, to: backup)
            // The live database goes on taking writes; the copy keeps what it held.
            try await seed(database, count: 45)
            #expect(try await leads(in: database) == 45)
            await #expect(throws: BackupProblem.self) { try await SQLiteBackup.write(from: database, to: backup) }
        }
        let summary = try await SQLiteBackup.inspect(backup, logger: TestDatabases.logger)
        #expect(
            summary
                == BackupSummary(
                    migrations: Migration.all.count, lastMigration: Migration.all.last?.name ?? "", leads: 40))

        // Restored over an existing database, which is replaced whole, write-ahead log included.
        let target = folder.appendingPathComponent("data/leadgen.sqlite").path
        let other = try await LeadgenDatabase.open(.sqlite(path: target), logger: TestDatabases.logger)
        try await Migrator(database: other, time: .system, logger: TestDatabases.logger).migrate()
        try await seed(other, count: 3)
        try await other.close()
        _ = try await SQLiteBackup.restore(backup, over: target, logger: TestDatabases.logger)
        let restored = try await LeadgenDatabase.open(.sqlite(path: target), logger: TestDatabases.logger)
        let count = try await leads(in: restored)
        try await restored.close()
        #expect(count == 40)
        #expect(
            !FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("data/.leadgen.sqlite.restoring").path))
    }

    @Test func onlyAGoodBackupOfThisLeadgenReplacesAnything() async throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("leadgen.sqlite").path
        let original = Data("the database as it was".utf8)
        try original.write(to: URL(fileURLWithPath: target))
        func refused(_ backup: String, saying words: String) async {
            do {
                _ = try await SQLiteBackup.restore(backup, over: target, logger: TestDatabases.logger)
                Issue.record("\(backup) was restored")
            } catch {
                #expect("\(error)".contains(words), "\(error)")
            }
            #expect(FileManager.default.contents(atPath: target) == original, "the target is untouched")
        }

        await refused(folder.appendingPathComponent("missing.sqlite").path, saying: "no such file")
        let text = folder.appendingPathComponent("notes.sqlite")
        try Data("not a database at all".utf8).write(to: text)
        await refused(text.path, saying: "is not a SQLite database")

        // A SQLite file that Leadgen did not make.
        let foreign = folder.appendingPathComponent("foreign.sqlite").path
        let other = try await LeadgenDatabase.open(.sqlite(path: foreign), logger: TestDatabases.logger)
        try await other.sql.raw("CREATE TABLE notes (body TEXT)").run()
        try await other.close()
        await refused(foreign, saying: "is not a Leadgen database")

        // A backup from a newer Leadgen, and one whose migration differs from this build's.
        for (name, tamper) in [
            (
                "newer",
                "INSERT INTO schema_migrations (name, applied_at, checksum) VALUES ('9999_future', '2030-01-01', 'x')"
            ),
            ("edited", "UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0001_core_tables'"),
        ] {
            let path = folder.appendingPathComponent("\(name).sqlite").path
            let database = try await LeadgenDatabase.open(.sqlite(path: path), logger: TestDatabases.logger)
            try await Migrator(database: database, time: .system, logger: TestDatabases.logger).migrate()
            try await database.sql.raw(SQLQueryString(tamper)).run()
            try await database.close()
            await refused(path, saying: name == "newer" ? "made by a newer Leadgen" : "differs from this build's")
        }
    }

    @Test func aPostgreSQLDumpRestoresIntoAnotherDatabase() async throws {
        guard TestDatabases.kinds.contains(.postgres) else { return }
        let tools = PostgresClientTools()
        try #require(tools.directory != nil, "PostgreSQL's client tools are installed where the tests run")
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dump = folder.appendingPathComponent("leadgen.dump").path
        try await TestDatabases.withFresh(.postgres) { database, url in
            try await seed(database, count: 25)
            try tools.dump(try #require(url.postgresURL), to: dump)
            #expect(throws: BackupProblem.self) { try tools.dump(try #require(url.postgresURL), to: dump) }
        }
        try await TestDatabases.withFresh(.postgres) { database, url in
            try await seed(database, count: 2)
            try tools.restore(dump, into: try #require(url.postgresURL))
            #expect(try await leads(in: database) == 25)
            // Again: the archive replaces what the tables hold.
            try tools.restore(dump, into: try #require(url.postgresURL))
            #expect(try await leads(in: database) == 25)
        }
    }

    @Test func theToolsConnectThroughTheEnvironment() throws {
        let values = try PostgresClientTools.connectionEnvironment(
            "postgres://lead%40gen:p%2Fss@db.internal:6543/leads?sslmode=require")
        #expect(values["PGHOST"] == "db.internal" && values["PGPORT"] == "6543" && values["PGDATABASE"] == "leads")
        #expect(values["PGUSER"] == "lead@gen" && values["PGPASSWORD"] == "p/ss" && values["PGSSLMODE"] == "require")
        #expect(
            try PostgresClientTools.connectionEnvironment("postgres://u@h/d?sslmode=disable")["PGSSLMODE"] == "disable")
        #expect(throws: BackupProblem.self) { try PostgresClientTools.connectionEnvironment("postgres:///nohost") }
    }
}
