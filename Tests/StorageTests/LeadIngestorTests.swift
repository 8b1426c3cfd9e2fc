import Foundation
import LeadgenCore
import Storage
import TestSupport
import Testing

@Suite struct LeadIngestorTests {
    func person(
        email: String? = nil, first: String? = nil, last: String? = nil, title: String? = nil, linkedin: String? = nil,
        phone: String? = nil, apollo: String? = nil, company: String? = nil, domain: String? = nil, tags: [String] = []
    ) -> LeadInput {
        var fields = LeadFields()
        fields.email = email.flatMap { try? EmailAddress(parsing: $0) }
        fields.firstName = first
        fields.lastName = last
        fields.title = title
        fields.linkedinURL = linkedin.flatMap { try? LinkedInURL(parsing: $0) }
        fields.phones = phone.map { [LeadPhone(kind: .mobile, parsing: $0, defaultCountry: "US")] } ?? []
        fields.apolloPersonID = apollo
        fields.tags = tags
        var companyFields: CompanyFields?
        if company != nil || domain != nil {
            var c = CompanyFields()
            c.name = company
            c.domain = domain.flatMap { try? Domain(parsing: $0) }
            companyFields = c
        }
        return LeadInput(fields: fields, company: companyFields)
    }

    func item(_ input: LeadInput, line: Int) -> IngestItem {
        IngestItem(input: input, source: .csv(file: "test.csv", line: line))
    }

    func setUp(_ database: LeadgenDatabase) async throws -> (LeadIngestor, LeadStore, WorkspaceID) {
        let ids = SequentialIDs().generator
        let workspace = try await WorkspaceStore(database: database, ids: ids, time: .system).findOrCreate(slug: "acme")
        return (
            LeadIngestor(database: database, ids: ids, time: .system),
            LeadStore(database: database, ids: ids, time: .system), workspace.id
        )
    }

    @Test(arguments: TestDatabases.kinds)
    func sameEmailLinkedInOrApolloIdIsOnePerson(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, workspace) = try await setUp(database)
            let outcomes = try await ingestor.ingest(
                [
                    item(person(email: "jane@acme.com", first: "Jane", apollo: "p-1"), line: 2),
                    item(person(email: "JANE@ACME.COM", last: "Doe", linkedin: "linkedin.com/in/janedoe"), line: 3),
                    item(
                        person(first: "Jane", linkedin: "https://uk.linkedin.com/in/JaneDoe/", company: "Acme"), line: 4
                    ),
                    item(person(title: "CEO", apollo: "p-1"), line: 5),
                    item(person(email: "bob@acme.com", first: "Bob"), line: 6),
                ], into: workspace)
            #expect(
                outcomes.map(\.leadID) == [
                    outcomes[0].leadID, outcomes[0].leadID, outcomes[0].leadID, outcomes[0].leadID, outcomes[4].leadID,
                ])
            #expect(outcomes[4].leadID != outcomes[0].leadID)
            #expect(try await store.count(in: workspace) == 2)
            let jane = try #require(try await store.get(outcomes[0].leadID, in: workspace))
            #expect(jane.fields.firstName == "Jane")
            #expect(jane.fields.lastName == "Doe")
            #expect(jane.fields.title == "CEO")
            #expect(jane.fields.linkedinURL?.value == "https://www.linkedin.com/in/janedoe")
            #expect(jane.companyID != nil)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func phoneMatchesOnlyWithTheSameLastName(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, workspace) = try await setUp(database)
            let outcomes = try await ingestor.ingest(
                [
                    item(person(first: "Ann", last: "Lee", phone: "(415) 555-0123", company: "X"), line: 2),
                    item(person(email: "ann@x.com", last: "LEE".capitalized, phone: "+1 415 555 0123"), line: 3),
                    item(person(first: "Bo", last: "Chan", phone: "415-555-0123", company: "X"), line: 4),
                ], into: workspace)
            #expect(outcomes[1] == .merged(outcomes[0].leadID))
            #expect(outcomes[2] == .created(outcomes[2].leadID))
            #expect(try await store.count(in: workspace) == 2)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func ingestingTheSameRecordsAgainChangesNothing(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, workspace) = try await setUp(database)
            let items = [
                item(person(email: "a@x.com", title: "VP Sales"), line: 2),
                item(person(email: "a@x.com", title: "Director"), line: 3),
                item(person(email: "b@x.com", tags: ["West"]), line: 4),
            ]
            let first = try await ingestor.ingest(items, into: workspace)
            #expect(
                first.map {
                    if case .merged = $0 { "merged" } else if case .created = $0 { "created" } else { "unchanged" }
                }
                    == ["created", "merged", "created"])
            let eventsBefore = try await store.events(of: first[0].leadID, in: workspace)
            let second = try await ingestor.ingest(items, into: workspace)
            #expect(second == first.map { .unchanged($0.leadID) })
            #expect(try await store.events(of: first[0].leadID, in: workspace) == eventsBefore)
            let lead = try #require(try await store.get(first[0].leadID, in: workspace))
            #expect(lead.fields.title == "Director")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func conflictsKeepTheOldValueInTheEventLog(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, workspace) = try await setUp(database)
            let id = try await ingestor.ingest(
                [item(person(email: "a@x.com", title: "Director"), line: 2)], into: workspace)[0].leadID
            _ = try await ingestor.ingest([item(person(email: "a@x.com", title: "VP"), line: 9)], into: workspace)
            let events = try await store.events(of: id, in: workspace)
            #expect(events.map(\.kind) == [.imported, .merged, .fieldChanged])
            #expect(events[2].field == "title")
            #expect(events[2].oldValue == "Director")
            #expect(events[2].newValue == "VP")
            #expect(events[1].detail == "csv:test.csv:9")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func companiesMergeByDomain(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, workspace) = try await setUp(database)
            let outcomes = try await ingestor.ingest(
                [
                    item(person(email: "a@acme.com", company: "Acme", domain: "acme.com"), line: 2),
                    item(person(email: "b@acme.com", company: "ACME Inc", domain: "https://www.acme.com/"), line: 3),
                ], into: workspace)
            let a = try #require(try await store.get(outcomes[0].leadID, in: workspace))
            let b = try #require(try await store.get(outcomes[1].leadID, in: workspace))
            #expect(a.companyID == b.companyID)
            let company = try #require(try await CompanyStore(database: database).get(a.companyID!, in: workspace))
            #expect(company.fields.name == "ACME Inc")
            #expect(company.fields.domain?.value == "acme.com")
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func workspacesNeverSeeEachOthersLeads(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, _ async throws in
            let (ingestor, store, acme) = try await setUp(database)
            let other = try await WorkspaceStore(database: database, ids: .uuidV7, time: .system).findOrCreate(
                slug: "other"
            ).id
            let a = try await ingestor.ingest([item(person(email: "same@x.com"), line: 2)], into: acme)
            let b = try await ingestor.ingest([item(person(email: "same@x.com"), line: 2)], into: other)
            #expect(a[0].leadID != b[0].leadID)
            #expect(b[0] == .created(b[0].leadID))
            #expect(try await store.get(a[0].leadID, in: other) == nil)
            #expect(try await store.count(in: acme) == 1)
        }
    }
}

@Suite struct ConcurrentIngestTests {
    @Test(arguments: TestDatabases.kinds)
    func twoIngestsOfTheSamePeopleAtOnceCreateEachPersonOnce(kind: SQLDialectKind) async throws {
        try await TestDatabases.withFresh(kind) { database, url async throws in
            let workspace = try await WorkspaceStore(database: database, ids: .uuidV7, time: .system).findOrCreate(
                slug: "acme"
            ).id
            let items = (0..<300).map { n in
                var fields = LeadFields()
                fields.email = try! EmailAddress(parsing: "person\(n)@acme.com")
                fields.firstName = "Person \(n)"
                return IngestItem(input: LeadInput(fields: fields), source: .csv(file: "a.csv", line: n + 2))
            }
            // Each side has its own connections, as two server processes would; the second writes the
            // same people with a title, so its records are not skipped as already seen.
            let titled = items.map { item -> IngestItem in
                var copy = item
                copy.input.fields.title = "CEO"
                return copy
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in [items, titled] {
                    group.addTask {
                        let own = try await LeadgenDatabase.open(url, logger: TestDatabases.logger, maxConnections: 2)
                        do {
                            let ingestor = LeadIngestor(database: own, ids: .uuidV7, time: .system)
                            for chunk in stride(from: 0, to: batch.count, by: 50) {
                                _ = try await ingestor.ingest(Array(batch[chunk..<chunk + 50]), into: workspace)
                            }
                            try await own.close()
                        } catch {
                            try? await own.close()
                            throw error
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await LeadStore(database: database, ids: .uuidV7, time: .system).count(in: workspace) == 300)
        }
    }
}
