import Foundation
import LeadgenCore
import SQLKit
import Storage
import TestSupport
import Testing

@Suite struct MigrationTests {
    @Test(arguments: TestDatabases.kinds)
    func migratesOnceAndThenHasNothingToDo(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind, migrate: false) { database, _ async throws in
            let migrator = Migrator(database: database, time: .system, logger: TestDatabases.logger)
            #expect(try await migrator.migrate() == Migration.all.map(\.name))
            #expect(try await migrator.migrate() == [])
            #expect(try await migrator.appliedNames() == Migration.all.map(\.name))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func instancesStartingTogetherApplyEachMigrationOnce(kind: SQLDialectKind) async throws {
        let (url, cleanup) = try await TestDatabases.makeEmpty(kind)
        defer { Task { try await cleanup() } }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let database = try await LeadgenDatabase.open(url, logger: TestDatabases.logger)
                    do {
                        let names = try await Migrator(database: database, time: .system, logger: TestDatabases.logger)
                            .migrate()
                        try await database.close()
                        return names
                    } catch {
                        try? await database.close()
                        throw error
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(applied.sorted() == Migration.all.map(\.name).sorted())
    }

    @Test func checkedInSchemaMatchesTheMigrations() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let checkedIn = try String(contentsOf: root.appendingPathComponent("database/schema.sql"), encoding: .utf8)
        #expect(
            checkedIn == Migration.schemaSQL(for: .postgres),
            "database/schema.sql is stale: run `swift run leadgen migrate --print-schema > database/schema.sql`")
    }
}
