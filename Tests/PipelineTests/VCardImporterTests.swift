import App
import Foundation
import LeadgenCore
import Pipeline
import Storage
import TestSupport
import Testing

/// A vCard file goes through the normal merge: a card per lead, a person twice is one lead, importing again
/// changes nothing, and a card that names nobody is reported with its line.
@Suite struct VCardImporterTests {
    static let file = """
        BEGIN:VCARD
        VERSION:3.0
        N:Novak;Lena;;;
        FN:Lena Novak
        EMAIL:lena@northwind.example
        ORG:Northwind
        END:VCARD
        BEGIN:VCARD
        VERSION:4.0
        FN:Lena Novak
        EMAIL:LENA@northwind.example
        TEL;VALUE=uri;TYPE=cell:tel:+15125550199
        END:VCARD
        BEGIN:VCARD
        VERSION:4.0
        FN:Nobody
        END:VCARD

        """

    @Test(arguments: TestDatabases.kinds)
    func cardsMergeLikeRowsAndASecondImportChangesNothing(_ kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let root = AppRoot.testing(database)
            let workspace = try await root.stores.workspaces.findOrCreate(slug: "acme").id
            let importer = VCardImporter(ingestor: root.stores.ingestor)
            var rejected: [RowRejection] = []
            let first = try await importer.run(
                Self.file, workspace: workspace, fileName: "contacts.vcf", onReject: { rejected.append($0) })
            #expect(first.rowsRead == 3 && first.leadsCreated == 1 && first.leadsMerged == 1 && first.rowsRejected == 1)
            #expect(rejected.map(\.line) == [14])
            let page = try await root.stores.leads.list(LeadQuery(), in: workspace)
            #expect(page.leads.count == 1)
            #expect(page.leads.first?.fields.phones.first?.e164 == "+15125550199")
            let again = try await importer.run(Self.file, workspace: workspace, fileName: "contacts.vcf")
            #expect(again.rowsUnchanged == 2 && again.leadsCreated == 0 && again.leadsMerged == 0)
            let dry = try await importer.run(Self.file, workspace: workspace, fileName: "other.vcf", dryRun: true)
            #expect(dry.rowsRead == 3 && dry.leadsCreated == 0 && dry.rowsUnchanged == 0)
        }
    }
}
