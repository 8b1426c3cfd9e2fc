import Foundation
import LeadgenCore
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// `Migrator.status()`, which `leadgen doctor` reports: it reads the database and changes nothing.
@Suite struct MigrationStatusTests {
    @Test func statusTellsPendingUnknownAndDifferingMigrations() async throws {
        try await TestDatabases.withFresh(.sqlite, migrate: false) { database, _ in
            let migrator = Migrator(database: database, time: .system, logger: TestDatabases.logger)
            let fresh = try await migrator.status()
            #expect(fresh.applied.isEmpty && fresh.pending == Migration.all.map(\.name))
            #expect(try await migrator.status() == fresh, "reading the status created nothing")

            try await migrator.migrate()
            let current = try await migrator.status()
            #expect(current.applied.count == Migration.all.count && current.pending.isEmpty)
            #expect(current.unknown.isEmpty && current.differing.isEmpty)

            try await database.sql.raw(
                "INSERT INTO schema_migrations (name, applied_at, checksum) VALUES ('9999_future', '2030-01-01', 'x')"
            ).run()
            try await database.sql.raw("UPDATE schema_migrations SET checksum = 'edited' WHERE name = '0002_sessions'")
                .run()
            try await database.sql.raw("DELETE FROM schema_migrations WHERE name = '0025_workspace_smtp_probe'").run()
            let odd = try await migrator.status()
            #expect(odd.unknown == ["9999_future"])
            #expect(odd.differing == ["0002_sessions"])
            #expect(odd.pending == ["0025_workspace_smtp_probe"])
        }
    }
}
