import Foundation
import LeadgenCore
import TestSupport
import Testing

@testable import Storage

@Suite struct LeadStoreTests {
    func seed(_ database: LeadgenDatabase, count: Int) async throws -> (LeadStore, WorkspaceID, [LeadID]) {
        let ids = SequentialIDs().generator
        let workspace = try await WorkspaceStore(database: database, ids: ids, time: .system).findOrCreate(slug: "acme")
            .id
        let items = (0..<count).map { n in
            var fields = LeadFields()
            fields.email = try! EmailAddress(parsing: "person\(n)@company\(n % 3).com")
            fields.firstName = "Person"
            fields.lastName = String(format: "Name%02d", (count - n))
            fields.country = Country(n % 2 == 0 ? "US" : "DE")
            fields.tags = n % 4 == 0 ? ["Hot"] : []
            var company = CompanyFields()
            company.name = "Company \(n % 3)"
            company.domain = try! Domain(parsing: "company\(n % 3).com")
            return IngestItem(input: LeadInput(fields: fields, company: company), source: LeadSourceRef(kind: "api"))
        }
        let outcomes = try await LeadIngestor(database: database, ids: ids, time: .system).ingest(
            items, into: workspace)
        return (LeadStore(database: database, ids: ids, time: .system), workspace, outcomes.map(\.leadID))
    }

    @Test(arguments: TestDatabases.kinds)
    func cursorPaginationVisitsEveryLeadOnce(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (store, workspace, ids) = try await seed(database, count: 23)
            for sort in LeadQuery.Sort.allCases {
                for descending in [true, false] {
                    var query = LeadQuery()
                    query.sort = sort
                    query.descending = descending
                    query.limit = 5
                    var seen: [LeadID] = []
                    repeat {
                        let page = try await store.list(query, in: workspace)
                        seen += page.leads.map(\.id)
                        query.cursor = page.nextCursor
                    } while query.cursor != nil
                    #expect(seen.count == 23, "sort \(sort) descending \(descending)")
                    #expect(Set(seen) == Set(ids))
                }
            }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func filters(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (store, workspace, _) = try await seed(database, count: 12)
            func count(_ build: (inout LeadQuery) -> Void) async throws -> Int {
                var query = LeadQuery()
                query.limit = 100
                build(&query)
                do {
                    return try await store.list(query, in: workspace).leads.count
                } catch {
                    Issue.record("\(String(reflecting: error))")
                    throw error
                }
            }
            #expect(try await count { $0.country = Country("Germany") } == 6)
            #expect(try await count { $0.tag = "hot" } == 3)
            #expect(try await count { $0.companyDomain = try? Domain(parsing: "company1.com") } == 4)
            #expect(try await count { $0.text = "PERSON1" } == 3)  // person1, person10, person11
            #expect(try await count { $0.text = "company 2" } == 4)
            #expect(try await count { $0.text = "100%" } == 0)
            #expect(try await count { $0.status = .new } == 12)
            #expect(try await count { $0.status = .qualified } == 0)
            #expect(try await count { $0.createdAfter = Date().addingTimeInterval(60) } == 0)
            #expect(try await count { $0.createdBefore = Date().addingTimeInterval(60) } == 12)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func updateRecordsEachChangeAndDeleteKeepsHistory(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (store, workspace, ids) = try await seed(database, count: 2)
            let updated = try await store.update(ids[0], in: workspace, actor: "user:jane") { lead in
                lead.fields.title = "CTO"
                lead.fields.tags = ["Hot", "Board"]
                lead.status = .qualified
            }
            #expect(updated?.fields.title == "CTO")
            let reloaded = try #require(try await store.get(ids[0], in: workspace))
            #expect(reloaded.fields.tags.sorted() == ["Board", "Hot"])
            #expect(reloaded.status == .qualified)
            var events = try await store.events(of: ids[0], in: workspace)
            #expect(events.map(\.kind) == [.created, .updated, .fieldChanged, .fieldChanged, .fieldChanged])
            #expect(events.compactMap(\.field) == ["tags", "title", "status"])

            #expect(try await store.delete(ids[0], in: workspace, actor: "user:jane"))
            #expect(try await store.get(ids[0], in: workspace) == nil)
            #expect(try await store.delete(ids[0], in: workspace, actor: nil) == false)
            events = try await store.events(of: ids[0], in: workspace)
            #expect(events.last?.kind == .deleted)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func apiKeysAuthenticateOnlyTheirWorkspace(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let workspace = try await WorkspaceStore(database: database, ids: .uuidV7, time: .system).findOrCreate(
                slug: "acme"
            ).id
            let keys = APIKeyStore(database: database, ids: .uuidV7, time: .system)
            let key = try await keys.create(workspace: workspace, name: "ci")
            #expect(key.secret.hasPrefix("lg_"))
            #expect(try await keys.authenticate(secret: key.secret)?.workspace == workspace)
            #expect(try await keys.authenticate(secret: "lg_" + String(repeating: "0", count: 40)) == nil)
            #expect(try await keys.authenticate(secret: "nonsense") == nil)
        }
    }
}

@Suite struct JSONTextTests {
    @Test func writesWhatJSONDecoderReadsBack() throws {
        let strings = ["plain", "quote \" and \\ backslash", "line\nbreak\ttab", "\u{1}control", "ünïcödé ✓", ""]
        #expect(try JSONDecoder().decode([String].self, from: Data(JSONText.encode(strings).utf8)) == strings)
        let map = ["b": "2", "a": "1 \"x\"", "ç": "\r"]
        #expect(try JSONDecoder().decode([String: String].self, from: Data(JSONText.encode(map).utf8)) == map)
        #expect(JSONText.encode(map).hasPrefix(#"{"a":"#))
        let phones = [
            LeadPhone(kind: .mobile, e164: "+14155550123", raw: "(415) 555-0123"),
            LeadPhone(kind: .other, e164: nil, raw: "ask \"reception\""),
        ]
        #expect(try JSONDecoder().decode([LeadPhone].self, from: Data(JSONText.encode(phones).utf8)) == phones)
    }
}
