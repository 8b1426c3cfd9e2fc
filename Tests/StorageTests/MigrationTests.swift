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

    /// The checksum of every shipped migration. A failure here means a shipped migration was edited: restore
    /// it and add a new one. (A new migration adds its line.)
    static let shippedChecksums: [String: String] = [
        "0001_core_tables": "f637440f51a0aee5463f2825a23d5e3ad49cd490509639926b184dcf67cffc39",
        "0002_sessions": "4c0efdbc49195648d29ade4594a17b57343b0a13be76f305721b94a21324b0ce",
        "0003_jobs": "d3414fa2d104795bcdeb8c6fd0e66a6411dc40223965fe3b5026bea818532a52",
        "0004_import_files": "c350f275cab77271a64752f1d4ba81ac4f535808423388988fef22ba5b6a3e59",
        "0005_job_schedules": "675a314061f36d9049516fde81101c02f940d733ad2cf31438ef7335f8af4b70",
        "0006_providers": "a992103eed0c653e1fb6a77031f516a0dd41ee168183844e9df2de17154d9b15",
        "0007_scenarios": "d97ecfa26151319e4482f1d60a032c8d153b5cc235e5612c5a7119f877a9f4f1",
        "0008_automation_events": "4d095c95abd76ae1a542c0a9574eef4ee1d850c67a1947690787583a5c057a4f",
        "0009_outreach_compliance": "1357b3ef83a793114389416f47c194480230c025d2bc0b2c0dfe335f73b6716e",
        "0010_sequences": "741ef9098cef203d2aed8c5d980b6040ab016c7e3d34369fcf37e487cb0bfee9",
        "0011_enrollments": "54e98ef338609778a92e96dec415832883865697e6c4ef9667bf3098ad3a6471",
        "0012_outreach_messages": "2d0e5081ddb6001437e51db8881d38b6e37c58d99af099cf29be9f507dbaea35",
        "0013_job_deaths": "25a56c3585e5135ca9ec132929f3155b20820120016ca54fd2c2b5fa93dcd8bc",
        "0014_scenario_limits": "b39a38ab15855beaa87194c48e5c92506757a5d539b17381d256daf6548fa492",
        "0015_login_throttle": "bca53189293e13934eabe7eba46d062afac2f26d9b9639db4316c85a28fc4fce",
        "0016_api_key_roles": "0cc3c2a560c2e771fc542d966109b2790756e410d934175a9e5a33bb585dffb5",
        "0017_crm_accounts": "95f18f918c763307e0077b046df2c806bf189c077b9d140360bb7f6a5762d9ef",
        "0018_phone_reveals": "905b181ccdd7428aa94053e97a113dfbfbb19c88f63e3f7582993dee3ea3d9d9",
        "0019_job_kind_names": "f56d5a135edf634c427808be6e811226b50e6edd9a974b37e9e8f4b1c9f49670",
        "0020_outgoing_webhooks": "64662d6da88ffc32f964e64349a6010f6a73147721771f0fb9fc0a273ce9117a",
        "0021_event_names": "711189cf2601b7205fc6e52f9195eed19d0e390e6c58417b3bf408b42f25b5c5",
        "0022_inbound_hooks": "49a1c7ba91efb9423ce0419cc576b783048e0e130a87192f7b28f003c477d9d9",
        "0023_email_verifications": "a05ea09466055850885617235ca14ae9a30378c1689f33e05634f7cd99ec8f48",
        "0024_lead_merges": "9219e362dda033a5159619b281113633edb0df4aba1db07262440c09909eb9f4",
        "0025_workspace_smtp_probe": "30a2d8d64826c11a4468db98ce11cd63d51fa8cb5b579864ddba2a06ced3e3ad",
        "0026_job_trace_parent": "1a18d0494078abc0c6c705c59c44fc9674b5031bd28707b48f5af680539076ab",
    ]

    @Test func noShippedMigrationHasChanged() {
        #expect(Migration.all.count == Self.shippedChecksums.count, "pin the new migration's checksum here")
        for migration in Migration.all {
            #expect(
                Self.shippedChecksums[migration.name] == migration.checksum,
                "\(migration.name) changed after it shipped")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDatabaseThatRanAnEditedMigrationIsRefusedAndNothingIsApplied(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind, migrate: false) { database, _ async throws in
            let first = Migrator(
                database: database, migrations: Array(Migration.all.prefix(3)), time: .system,
                logger: TestDatabases.logger)
            try await first.migrate()
            var edited = Migration.all
            edited[1] = Migration(name: edited[1].name) { kind in Migration.all[1].statements(kind) + ["SELECT 1"] }
            let later = Migrator(database: database, migrations: edited, time: .system, logger: TestDatabases.logger)
            await #expect(throws: MigrationChecksumMismatch.self) { try await later.migrate() }
            #expect(try await later.appliedNames() == Migration.all.prefix(3).map(\.name), "nothing applied")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aDatabaseMigratedBeforeChecksumsGetsThemRecorded(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind, migrate: false) { database, _ async throws in
            try await database.sql.raw(
                "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at \(unsafeRaw: kind == .postgres ? "TIMESTAMPTZ" : "REAL") NOT NULL)"
            ).run()
            let migrator = Migrator(database: database, time: .system, logger: TestDatabases.logger)
            // The first migration, applied the old way.
            for statement in Migration.all[0].statements(kind) {
                try await database.sql.raw("\(unsafeRaw: statement)").run()
            }
            try await database.sql.insert(into: "schema_migrations").columns("name", "applied_at")
                .values(SQLBind(Migration.all[0].name), SQLBind(Date(timeIntervalSince1970: 1_800_000_000))).run()
            #expect(try await migrator.migrate() == Migration.all.dropFirst().map(\.name))
            let rows = try await database.sql.raw("SELECT name, checksum FROM schema_migrations").all()
            let recorded = try Dictionary(
                uniqueKeysWithValues: rows.map {
                    (try $0.decode(column: "name", as: String.self), try $0.decode(column: "checksum", as: String.self))
                })
            #expect(recorded == Dictionary(uniqueKeysWithValues: Migration.all.map { ($0.name, $0.checksum) }))
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aJobQueuedUnderAnOldKindNameKeepsItsHandler(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind, migrate: false) { database, _ async throws in
            let before = Array(Migration.all.prefix { $0.name != "0019_job_kind_names" })
            try await Migrator(database: database, migrations: before, time: .system, logger: TestDatabases.logger)
                .migrate()
            let queue = JobQueue(database: database, ids: .uuidV7, time: .system)
            // Queued as that version queued it: today's queue writes columns its schema does not have yet.
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            try await database.sql.raw(
                """
                INSERT INTO jobs (id, queue, kind, payload, priority, state, run_at, attempts, max_attempts,
                    created_at, updated_at)
                VALUES ('old-job', 'outreach', 'outreach.dispatch', '{}', 0, 'pending', \(bind: now), 0, 5,
                    \(bind: now), \(bind: now))
                """
            ).run()
            try await JobScheduler(database: database, queue: queue, time: .system).save(
                name: "outreach-dispatch", cron: try CronExpression(parsing: "* * * * *"),
                job: NewJob(kind: "outreach.tick", json: "{}", queue: "outreach"))
            try await Migrator(database: database, time: .system, logger: TestDatabases.logger).migrate()
            #expect(try await queue.list().map(\.kind) == ["outreach_dispatch"])
            let scheduled = try await database.sql.raw("SELECT kind FROM job_schedules").all()
                .map { try $0.decode(column: "kind", as: String.self) }
            #expect(scheduled == ["outreach_tick"])
        }
    }
}
