import App
import Foundation
import LeadgenCore
import Pipeline
import SQLKit
import Storage
import TestSupport
import Testing

@Suite struct CSVImporterTests {
    static let seedPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("database/seeds/apollo-export.csv").path

    func runImport(
        _ database: LeadgenDatabase, _ workspace: WorkspaceID, path: String = seedPath, dryRun: Bool = false
    ) async throws -> (ImportSummary, [RowRejection]) {
        var reader = try CSVReader.file(at: path)
        var rejects: [RowRejection] = []
        let summary = try await CSVImporter(
            ingestor: AppRoot.testing(database).stores.ingestor, batchSize: 64
        ).run(
            &reader, options: .init(workspace: workspace, fileName: "apollo-export.csv", dryRun: dryRun),
            onReject: { rejection, _ in rejects.append(rejection) })
        return (summary, rejects)
    }

    /// The people in the seed file, counted independently of the importer: distinct LinkedIn profile slugs
    /// among the rows that are not malformed.
    func distinctPeopleInSeed(rejectedLines: Set<Int>) throws -> Int {
        var reader = try CSVReader.file(at: Self.seedPath)
        let header = try #require(try reader.next()).fields
        let column = try #require(header.firstIndex(of: "Person Linkedin Url"))
        var slugs = Set<String>()
        while let record = try reader.next() {
            guard !rejectedLines.contains(record.line) else { continue }
            let url = record.fields[column]
            let path = url.split(separator: "?")[0].split(separator: "/").filter { !$0.isEmpty }
            if let slug = path.last { slugs.insert(slug.lowercased()) }
        }
        return slugs.count
    }

    @Test(arguments: TestDatabases.kinds)
    func importsTheSeedExportIntoOneLeadPerPerson(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let workspace = try await AppRoot.testing(database).stores.workspaces.findOrCreate(slug: "default").id
            let (summary, rejects) = try await runImport(database, workspace)
            #expect(summary.rowsRead == 301)
            #expect(rejects.map(\.line) == [51, 101, 151, 201, 251, 301, 302])
            #expect(rejects[0].reason == "email: e-mail has no single @ ('jane(at)example.com')")
            #expect(rejects[2].reason == "row has 76 fields but the header has 75")
            #expect(rejects[6].reason == "field 1 has text after its closing quote")
            let people = try distinctPeopleInSeed(rejectedLines: Set(rejects.map(\.line)))
            #expect(summary.leadsCreated == people)
            #expect(try await AppRoot.testing(database).stores.leads.count(in: workspace) == people)
            #expect(summary.leadsCreated + summary.leadsMerged + summary.rowsUnchanged + summary.rowsRejected == 301)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aSecondImportOfTheSameFileChangesNothing(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let workspace = try await AppRoot.testing(database).stores.workspaces.findOrCreate(slug: "default").id
            let (first, _) = try await runImport(database, workspace)
            let snapshot = try await Snapshot.take(database)
            let (second, rejects) = try await runImport(database, workspace)
            #expect(second.leadsCreated == 0)
            #expect(second.leadsMerged == 0)
            #expect(second.rowsUnchanged == first.rowsRead - first.rowsRejected)
            #expect(rejects.count == first.rowsRejected)
            #expect(try await Snapshot.take(database) == snapshot)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func dryRunWritesNothing(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let workspace = try await AppRoot.testing(database).stores.workspaces.findOrCreate(slug: "default").id
            let (summary, rejects) = try await runImport(database, workspace, dryRun: true)
            #expect(summary.rowsRead == 301)
            #expect(rejects.count == 7)
            #expect(try await AppRoot.testing(database).stores.leads.count(in: workspace) == 0)
        }
    }

    @Test func aFileWithoutPeopleColumnsIsRefusedAsAWhole() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-people-\(UUID()).csv").path
        try "Product,Price\nWidget,3\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await TestDatabases.withFresh(.sqlite) { database, _ async throws in
            let workspace = try await AppRoot.testing(database).stores.workspaces.findOrCreate(slug: "default").id
            await #expect(throws: CSVImportError.noIdentityColumns(["Product", "Price"])) {
                _ = try await runImport(database, workspace, path: path)
            }
        }
    }
}

/// Row counts and the latest change of every table that an import writes: equal snapshots mean nothing changed.
struct Snapshot: Equatable {
    var counts: [String: Int]
    var latestLeadUpdate: String

    static func take(_ database: LeadgenDatabase) async throws -> Snapshot {
        var counts: [String: Int] = [:]
        for table in ["leads", "companies", "lead_identities", "lead_tags", "lead_sources", "lead_events"] {
            let row = try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()
            counts[table] = try row?.decode(column: "n", as: Int.self) ?? -1
        }
        let latest = try await database.sql.raw("SELECT MAX(updated_at) AS t FROM leads").first()
        let date = try latest?.decode(column: "t", as: Date?.self)
        return Snapshot(counts: counts, latestLeadUpdate: date.map { "\($0.timeIntervalSince1970)" } ?? "none")
    }
}
