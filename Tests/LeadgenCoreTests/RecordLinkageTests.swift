import Foundation
import LeadgenCore
import Testing

/// Record linkage as a whole: on a generated export with fuzzy duplicates (nicknames, typos, personal
/// e-mails, changed titles) and look-alikes (colleagues with the same surname), on blocking that must stay
/// near-linear, and on reading records from CSV.
@Suite struct RecordLinkageTests {
    /// What the generator writes of a person, as an export row would have it.
    struct Person {
        var id: String
        var firstName: String
        var lastName: String
        var email: String
        var companyDomain: String
        var phone: String?
        var title: String
        var city: String

        /// The values linkage compares, taken from the lead this row becomes.
        var values: [String?] {
            var fields = LeadFields()
            fields.firstName = firstName
            fields.lastName = lastName
            fields.email = try? EmailAddress(parsing: email)
            fields.phones = phone.map { [LeadPhone(kind: .workDirect, parsing: $0, defaultCountry: "US")] } ?? []
            fields.title = title
            fields.city = city
            return LeadLinkage.values(fields, companyDomain: companyDomain)
        }
    }

    static func table(_ leads: [Person]) -> LinkageTable {
        var table = LinkageTable(fields: LeadLinkage.fields)
        for lead in leads { table.append(id: lead.id, values: lead.values) }
        return table
    }

    /// A small deterministic generator, so the generated export is the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let firstNames = [
        "robert", "william", "elizabeth", "james", "katherine", "michael", "jennifer", "thomas", "margaret",
        "richard", "susan", "joseph", "patricia", "daniel", "nicholas", "samuel", "anthony", "christopher",
        "deborah", "jonathan", "victoria", "matthew", "andrew", "gregory", "valerie",
    ]
    static let nicknames = [
        "robert": "bob", "william": "bill", "elizabeth": "liz", "james": "jim", "katherine": "kate",
        "michael": "mike", "jennifer": "jen", "thomas": "tom", "margaret": "maggie", "richard": "rick",
        "susan": "sue", "joseph": "joe", "patricia": "patty", "daniel": "dan", "nicholas": "nick",
        "samuel": "sam", "anthony": "tony", "christopher": "chris", "deborah": "debbie", "jonathan": "jon",
        "victoria": "vicky", "matthew": "matt", "andrew": "andy", "gregory": "greg", "valerie": "val",
    ]
    static let lastNames = [
        "anderson", "brennan", "castillo", "delacroix", "eriksen", "fitzgerald", "gallagher", "hoffmann",
        "iwasaki", "jablonski", "kowalczyk", "lindqvist", "montgomery", "nakamura", "okonkwo", "petrovic",
        "quintero", "rasmussen", "schumacher", "thibodeaux", "underwood", "vanderberg", "whitfield",
        "yamamoto", "zielinski", "smith", "jones", "brown", "abernathy", "blackwood", "carmichael", "dunleavy",
        "ellsworth", "fairbanks", "gutierrez", "haverford", "ingram", "jorgensen", "kaminski", "lockhart",
        "mcallister", "norquist", "oyelaran", "pemberton", "quackenbush", "rutherford", "sandoval", "tanaka",
        "ulbricht", "villanueva", "wexler", "xiong", "yeager", "zamora",
    ]
    static let titles = ["cto", "vp sales", "head of growth", "founder", "engineer", "marketing manager"]
    static let cities = ["london", "berlin", "paris", "austin", "toronto"]

    /// People at companies; some appear again written differently (the true duplicates), and some share a
    /// surname and company with a colleague (look-alikes that are not duplicates).
    static func export() -> (records: [Person], person: [Int]) {
        var random = Generator(state: 42)
        var records: [Person] = []
        var person: [Int] = []
        var names = Set<String>()
        for p in 0..<400 {
            // 400 different people: no two share a full name (namesakes are another test's matter).
            var first = firstNames[random.next(firstNames.count)]
            var last = lastNames[random.next(lastNames.count)]
            while !names.insert(first + " " + last).inserted {
                first = firstNames[random.next(firstNames.count)]
                last = lastNames[random.next(lastNames.count)]
            }
            let company = "company\(random.next(120)).example"
            let city = cities[random.next(cities.count)]
            let phone = random.next(3) == 0 ? nil : "+1 415 \(1_000_000 + random.next(8_999_999))"
            let title = titles[random.next(titles.count)]
            records.append(
                Person(
                    id: "p\(p)", firstName: first, lastName: last, email: "\(first).\(last)@\(company)",
                    companyDomain: company, phone: phone, title: title, city: city))
            person.append(p)
            guard p % 4 == 0 else { continue }
            // The same person again: a nickname or a typo, a personal address, another title, maybe no phone.
            var typo = Array(last)
            if random.next(2) == 0, typo.count > 4 { typo.swapAt(2, 3) }
            let again = random.next(2) == 0 ? (nicknames[first] ?? first) : first
            records.append(
                Person(
                    id: "p\(p)-again", firstName: again, lastName: String(typo),
                    email: "\(again)\(random.next(99))@gmail.example", companyDomain: company,
                    phone: random.next(2) == 0 ? phone : nil, title: titles[random.next(titles.count)], city: city))
            person.append(p)
            if p % 20 == 0 {
                // A colleague with the same surname at the same office: not the same person.
                let other =
                    firstNames.first { !Nicknames.same($0, first) && !names.contains($0 + " " + last) } ?? "zoe"
                names.insert(other + " " + last)
                records.append(
                    Person(
                        id: "p\(p)-colleague", firstName: other, lastName: last, email: "\(other).\(last)@\(company)",
                        companyDomain: company, phone: nil,
                        title: titles[((titles.firstIndex(of: title) ?? 0) + 1) % titles.count],
                        city: city))
                person.append(10_000 + p)
            }
        }
        return (records, person)
    }

    @Test func fuzzyDuplicatesAreFoundAndLookAlikesAreNot() throws {
        let (leads, person) = Self.export()
        let table = Self.table(leads)
        let linkage = RecordLinkage(settings: try LeadLinkage.settings())
        let result = linkage.link(table, minimumProbability: 0.01)
        #expect(result.model.lambda > 0 && result.model.lambda < 0.01)
        let predicted = result.pairs.filter { $0.probability >= 0.9 }
        let right = predicted.filter { person[$0.a] == person[$0.b] }.count
        var actual = 0
        for (_, n) in Dictionary(grouping: person, by: { $0 }) where n.count > 1 {
            actual += n.count * (n.count - 1) / 2
        }
        let precision = Double(right) / Double(max(predicted.count, 1))
        let recall = Double(right) / Double(max(actual, 1))
        #expect(precision >= 0.97, "precision \(precision): \(predicted.count) predicted, \(right) right")
        #expect(recall >= 0.9, "recall \(recall): \(right) of \(actual)")
        let colleagues = result.pairs.filter {
            table.ids[$0.a].hasSuffix("colleague") || table.ids[$0.b].hasSuffix("colleague")
        }
        #expect(colleagues.allSatisfy { $0.probability < 0.9 }, "a colleague with the same surname is someone else")
        #expect(predicted.first.map { $0.vector.agreements(table.fields).contains("company_domain equal") } == true)
        #expect(result.pairs == result.pairs.sorted { $0.probability > $1.probability } || result.pairs.count < 2)

        let clusters = RecordLinkage.clusters(count: table.count, pairs: result.pairs, threshold: 0.9)
        let pure = clusters.filter { Set($0.map { person[$0] }).count == 1 }.count
        #expect(Double(pure) >= Double(clusters.count) * 0.97, "\(pure) of \(clusters.count) clusters are one person")
        #expect(clusters.allSatisfy { $0 == $0.sorted() && $0.count > 1 })
    }

    @Test func theSameRecordsGiveTheSameModelAndPairs() throws {
        let table = Self.table(Self.export().records)
        let linkage = RecordLinkage(settings: try LeadLinkage.settings())
        let first = linkage.link(table, minimumProbability: 0.5)
        let second = linkage.link(table, minimumProbability: 0.5)
        #expect(first.model == second.model)
        #expect(first.pairs == second.pairs)
    }

    @Test func blockingKeepsCandidatePairsNearLinear() throws {
        // 2,000 people of one surname at one company: those blocks are too large and skipped.
        var crowd = LinkageTable(fields: LeadLinkage.fields)
        for i in 0..<2_000 {
            crowd.append(id: "\(i)", values: ["a\(i)", "smith", nil, "big.example", nil, nil, nil])
        }
        let linkage = RecordLinkage(settings: try LeadLinkage.settings())
        #expect(linkage.link(crowd, minimumProbability: 0.01).candidates == 0)
        let table = Self.table(Self.export().records)
        let result = linkage.link(table, minimumProbability: 0.01)
        #expect(result.candidates < table.count * 20, "\(result.candidates) pairs for \(table.count) records")
        #expect(result.candidates > table.count / 10)
    }

    @Test func csvRowsAreReadByColumnNameAndBadRowsRejectedByLine() throws {
        let csv = """
            rec_id,surname,given_name,extra
            r1,Smith,Ada,x
            ,Jones,Bob,y
            r3,"Brown,Carl,z
            """
        var reader = CSVReader(text: csv)
        let fields: [LinkageSettings.Field] = [.init("given_name", .name), .init("surname", .name)]
        let (table, rejected) = try LinkageTable.read(&reader, idColumn: "rec_id", fields: fields)
        #expect(table.ids == ["r1"])
        #expect(table.value(0, 0) == "ada" && table.value(1, 0) == "smith")
        #expect(
            rejected.map(\.description) == [
                "line 3: no value in the id column 'rec_id'", "line 4: field 2 opens a quote that is never closed",
            ])
        var missing = CSVReader(text: "rec_id,surname\nr1,Smith\n")
        #expect(throws: LinkageSettingsError("the file has no column 'given_name' for the settings' field")) {
            try LinkageTable.read(&missing, idColumn: "rec_id", fields: fields)
        }
        var noID = CSVReader(text: "id,surname\n")
        #expect(throws: LinkageSettingsError("the file has no id column 'rec_id'")) {
            try LinkageTable.read(&noID, idColumn: "rec_id", fields: fields)
        }
    }
}
