import Foundation

/// The people and organizations the Apollo fake knows: generated from a seed, so tests can count on them.
struct ApolloDirectory: Sendable {
    struct Organization: Sendable {
        var id: String
        var name: String
        var domain: String
        var employees: Int
        var industry: String
        var city: String
        var state: String
        var country: String
        var phone: String
    }

    struct Person: Sendable {
        var id: String
        var firstName: String
        var lastName: String
        var title: String
        var seniority: String
        var department: String
        var email: String?
        /// The address exists but is not unlocked for this team: Apollo answers the placeholder.
        var emailLocked: Bool
        var emailStatus: String
        var linkedinURL: String
        var city: String
        var state: String
        var country: String
        var mobile: String?
        var organization: Int
    }

    var organizations: [Organization]
    var people: [Person]
    private var byEmail: [String: Int] = [:]
    private var byLinkedIn: [String: Int] = [:]
    private var byID: [String: Int] = [:]
    private var byNameAndDomain: [String: Int] = [:]

    static let firstNames = [
        "Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Tim",
        "Radia", "Edsger", "Hedy", "Donald", "Sophie", "John", "Anita", "Vint", "Shafi", "Leslie", "Mary", "Niklaus",
        "Joan", "Bjarne", "Lynn", "Guido", "Carol", "James", "Adele",
    ]
    static let lastNames = [
        "Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
        "Berners", "Perlman", "Dijkstra", "Lamarr", "Knuth", "Wilson", "McCarthy", "Borg", "Cerf", "Goldwasser",
        "Lamport", "Keller", "Wirth", "Clarke", "Stroustrup", "Conway", "Rossum", "Shaw", "Gosling", "Goldberg",
        "Nakamura", "Okafor", "Silva", "Novak", "Larsen", "Moreau", "Schmidt", "Rossi", "Kowalski", "Haddad",
    ]
    static let places: [(city: String, state: String, country: String, phonePrefix: String)] = [
        ("San Francisco", "California", "United States", "+1415"), ("Austin", "Texas", "United States", "+1512"),
        ("New York", "New York", "United States", "+1212"), ("Seattle", "Washington", "United States", "+1206"),
        ("Boston", "Massachusetts", "United States", "+1617"), ("Chicago", "Illinois", "United States", "+1312"),
        ("Toronto", "Ontario", "Canada", "+1416"), ("London", "England", "United Kingdom", "+4420"),
        ("Berlin", "Berlin", "Germany", "+4930"), ("Paris", "Ile-de-France", "France", "+331"),
    ]
    static let industries = [
        "information technology & services", "computer software", "financial services", "marketing & advertising",
        "hospital & health care", "logistics & supply chain", "higher education", "retail",
    ]
    static let departments: [(name: String, titles: [String])] = [
        ("sales", ["Sales", "Business Development", "Revenue"]), ("marketing", ["Marketing", "Growth", "Demand Gen"]),
        ("engineering", ["Engineering", "Platform", "Infrastructure"]), ("finance", ["Finance", "FP&A"]),
        ("operations", ["Operations", "RevOps"]),
    ]
    static let employeeSizes = [4, 15, 35, 80, 150, 350, 800, 1500, 3500, 8000, 25000]
    static let orgWords = [
        "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Acme",
        "Soylent", "Tyrell", "Wonka", "Cyberdyne", "Aperture", "Massive", "Pied", "Oscorp", "Dunder", "Gringotts",
    ]
    static let orgSuffixes = ["Labs", "Systems", "Analytics", "Logistics", "Health", "Capital", "Works", "Cloud"]

    init(people count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var organizations: [Organization] = []
        let orgCount = max(1, min(Self.orgWords.count * Self.orgSuffixes.count * 4, count / 12 + 1))
        for index in 0..<orgCount {
            let word = Self.orgWords[index % Self.orgWords.count]
            let suffix = Self.orgSuffixes[(index / Self.orgWords.count) % Self.orgSuffixes.count]
            let generation = index / (Self.orgWords.count * Self.orgSuffixes.count)
            let name = generation == 0 ? "\(word) \(suffix)" : "\(word) \(suffix) \(generation + 1)"
            let place = Self.places[Int(random.next() % UInt64(Self.places.count))]
            organizations.append(
                Organization(
                    id: random.apolloID(), name: name,
                    domain: name.lowercased().replacingOccurrences(of: " ", with: "") + ".com",
                    employees: Self.employeeSizes[Int(random.next() % UInt64(Self.employeeSizes.count))],
                    industry: Self.industries[Int(random.next() % UInt64(Self.industries.count))], city: place.city,
                    state: place.state, country: place.country,
                    phone: place.phonePrefix + String(5_550_000 + Int(random.next() % 9999))))
        }
        var people: [Person] = []
        people.reserveCapacity(count)
        for index in 0..<count {
            let first = Self.firstNames[Int(random.next() % UInt64(Self.firstNames.count))]
            let last = Self.lastNames[Int(random.next() % UInt64(Self.lastNames.count))]
            let org = Int(random.next() % UInt64(organizations.count))
            let seniority = Self.seniorities[Int(random.next() % UInt64(Self.seniorities.count))]
            let department = Self.departments[Int(random.next() % UInt64(Self.departments.count))]
            let area = department.titles[Int(random.next() % UInt64(department.titles.count))]
            let place = Self.places[Int(random.next() % UInt64(Self.places.count))]
            let roll = random.next() % 100
            let handle = "\(first).\(last)\(index)".lowercased()
            people.append(
                Person(
                    id: random.apolloID(), firstName: first, lastName: last, title: Self.title(seniority, area),
                    seniority: seniority, department: department.name,
                    email: roll < 92 ? "\(handle)@\(organizations[org].domain)" : nil,
                    emailLocked: roll >= 85 && roll < 92,
                    emailStatus: roll < 75 ? "verified" : (roll < 92 ? "unverified" : "unavailable"),
                    linkedinURL: "http://www.linkedin.com/in/\(first.lowercased())-\(last.lowercased())-\(index)",
                    city: place.city, state: place.state, country: place.country,
                    mobile: random.next() % 100 < 40
                        ? place.phonePrefix + String(1_000_000 + Int(random.next() % 8_999_999)) : nil,
                    organization: org))
        }
        self.organizations = organizations
        self.people = people
        for (index, person) in people.enumerated() {
            byID[person.id] = index
            if let email = person.email { byEmail[email] = index }
            byLinkedIn[Self.linkedInKey(person.linkedinURL)] = index
            byNameAndDomain[
                Self.nameKey(person.firstName, person.lastName, organizations[person.organization].domain)] = index
        }
    }

    static let seniorities = [
        "owner", "founder", "c_suite", "partner", "vp", "head", "director", "manager", "senior", "entry", "intern",
    ]

    static func title(_ seniority: String, _ area: String) -> String {
        switch seniority {
        case "owner": "Owner"
        case "founder": "Co-Founder"
        case "c_suite": "Chief \(area) Officer"
        case "partner": "Partner, \(area)"
        case "vp": "VP of \(area)"
        case "head": "Head of \(area)"
        case "director": "Director of \(area)"
        case "manager": "\(area) Manager"
        case "senior": "Senior \(area) Specialist"
        case "entry": "\(area) Associate"
        default: "\(area) Intern"
        }
    }

    static func linkedInKey(_ url: String) -> String {
        var text = url.lowercased()
        for prefix in ["https://", "http://", "www."] where text.hasPrefix(prefix) { text.removeFirst(prefix.count) }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func nameKey(_ first: String, _ last: String, _ domain: String) -> String {
        "\(first.lowercased())|\(last.lowercased())|\(domain.lowercased())"
    }

    /// The person these identifiers name, tried strongest first, as Apollo's matcher does.
    func match(_ details: [String: Any]) -> Int? {
        if let id = details["id"] as? String, let index = byID[id] { return index }
        if let email = (details["email"] as? String)?.lowercased(), let index = byEmail[email] { return index }
        if let url = details["linkedin_url"] as? String, let index = byLinkedIn[Self.linkedInKey(url)] { return index }
        if let first = details["first_name"] as? String, let last = details["last_name"] as? String {
            if let domain = details["domain"] as? String, let index = byNameAndDomain[Self.nameKey(first, last, domain)]
            {
                return index
            }
            if let company = (details["organization_name"] as? String)?.lowercased(),
                let org = organizations.firstIndex(where: { $0.name.lowercased() == company }),
                let index = byNameAndDomain[Self.nameKey(first, last, organizations[org].domain)]
            {
                return index
            }
        }
        return nil
    }

    func organization(domain: String) -> Organization? {
        let wanted = domain.lowercased().replacingOccurrences(of: "www.", with: "")
        return organizations.first { $0.domain == wanted }
    }
}
