import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `POST /api/v1/leads/lookup`: which of up to 100 people Leadgen already knows, in one call, as the browser
/// extension asks before a capture. Each person is an object with any of `email`, `linkedin_url` and
/// `apollo_id`, read by the fields' one normalizer, so any spelling of an address finds its lead. The answer
/// has one result per person, in order: the lead with its status, owner, tags, last activity and sequences,
/// or `null`; a value that cannot be read (an address that is not one) is that person's `error`, not the
/// whole call's.
struct LeadLookupController {
    let leads: LeadStore
    let companies: CompanyStore
    let enrollments: EnrollmentStore

    static let maxPeople = 100
    /// What a person may be identified by: the body's key, and the lead field it is read as.
    static let identifiers: [(key: String, field: LeadField)] = [
        ("apollo_id", .apolloPersonID), ("email", .email), ("linkedin_url", .linkedinURL),
    ]

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("leads/lookup", use: lookup)
    }

    struct Membership: Encodable {
        var sequenceId, sequenceName, status: String
        var step: Int
        var enrolledAt: Date
    }

    struct Found: Encodable {
        var index: Int
        var matchedBy: String?
        var lead: LeadDTO?
        var lastActivityAt: Date?
        var sequences: [Membership]?
        var error: Problem.FieldError?
    }

    @Sendable func lookup(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(try await JSONResponse.object(request, context: context), allowed: ["people"])
        let people = fields.object["people"]?.arrayValue ?? []
        if fields.object["people"]?.arrayValue == nil {
            fields.fail("people", "expected an array of people, each with an email, linkedin_url or apollo_id")
        } else if people.isEmpty || people.count > Self.maxPeople {
            fields.fail("people", "send 1 to \(Self.maxPeople) people")
        }
        try fields.check()
        var results: [Found] = []
        var keys: [(result: Int, keys: [MatchKey])] = []
        for (index, person) in people.enumerated() {
            var result = Found(index: index)
            switch Self.matchKeys(person, at: "people[\(index)]") {
            case .success(let found): keys.append((index, found))
            case .failure(let problem): result.error = .init(field: problem.field, message: problem.message)
            }
            results.append(result)
        }
        let owners = try await leads.owners(of: keys.flatMap(\.keys), in: context.workspace)
        var matched: [Int: (LeadID, MatchKey.Kind)] = [:]
        for (result, personKeys) in keys {
            // The strongest identity that has a lead decides, as an import's merge would.
            if let key = personKeys.sorted(by: { $0.kind < $1.kind }).first(where: { owners[$0] != nil }),
                let lead = owners[key]
            {
                matched[result] = (lead, key.kind)
            }
        }
        let ids = Array(Set(matched.values.map(\.0)))
        let found = Dictionary(
            uniqueKeysWithValues: try await leads.get(ids, in: context.workspace).map { ($0.id, $0) })
        let firms = try await companies.get(Set(found.values.compactMap(\.companyID)), in: context.workspace)
        let last = try await leads.lastActivity(of: ids, in: context.workspace)
        let sequences = try await enrollments.memberships(of: ids, in: context.workspace)
        for (index, (id, kind)) in matched {
            guard let lead = found[id] else { continue }
            results[index].matchedBy = Self.identifiers.first { $0.field.matchKind == kind }?.key
            results[index].lead = LeadDTO(lead, company: lead.companyID.flatMap { firms[$0] })
            results[index].lastActivityAt = last[id]
            results[index].sequences = (sequences[id] ?? []).map {
                Membership(
                    sequenceId: $0.sequenceID, sequenceName: $0.sequenceName, status: $0.status.rawValue,
                    step: $0.stepIndex + 1, enrolledAt: $0.enrolledAt)
            }
        }
        return try JSONResponse.make(["data": results])
    }

    /// One person's identities, normalized as a lead's would be; a mistake names the field at fault.
    static func matchKeys(_ person: JSON, at path: String) -> Result<[MatchKey], InvalidIdentifier> {
        guard case .object(let object) = person else {
            return .failure(
                InvalidIdentifier(field: path, message: "expected an object with an email, linkedin_url or apollo_id"))
        }
        if let unknown = object.keys.sorted().first(where: { key in !identifiers.contains { $0.key == key } }) {
            return .failure(InvalidIdentifier(field: "\(path).\(unknown)", message: "is not an identifier"))
        }
        var fields = LeadFields()
        for (key, field) in identifiers {
            guard let value = object[key], value != .null else { continue }
            guard case .string(let text) = value, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                return .failure(InvalidIdentifier(field: "\(path).\(key)", message: "expected a non-empty string"))
            }
            do throws(InvalidFieldValue) {
                try field.set(text, in: &fields, defaultCountry: nil)
            } catch {
                return .failure(InvalidIdentifier(field: "\(path).\(key)", message: error.description))
            }
        }
        let keys = fields.matchKeys
        guard !keys.isEmpty else {
            return .failure(InvalidIdentifier(field: path, message: "name an email, linkedin_url or apollo_id"))
        }
        return .success(keys)
    }
}

/// Why one person of a lookup cannot be looked up, and the field at fault.
struct InvalidIdentifier: Error {
    var field: String
    var message: String
}

extension LeadField {
    /// The identity this field gives a lead, when it gives one.
    fileprivate var matchKind: MatchKey.Kind? {
        switch self {
        case .apolloPersonID: .apolloPerson
        case .email: .email
        case .linkedinURL: .linkedin
        default: nil
        }
    }
}
