import Foundation
import LeadgenCore
import Logging
import Providers
import Storage

/// What one sourcing run did.
public struct SourcingSummary: Sendable, Codable, Equatable {
    /// People the search returned (each once).
    public var found = 0
    /// People added as new leads.
    public var added = 0
    /// People who were leads already, left as they are.
    public var known = 0
    /// Search calls made.
    public var calls = 0
    /// People the search matched but no split query could reach (see `ApolloPeopleSearch`).
    public var unreachable = 0
    /// What Apollo said the query matches in all.
    public var totalEntries = 0

    public init() {}
}

/// Finds people in Apollo and adds those not yet known as leads (identified by their Apollo id, with the
/// first name, title and employer that search reveals; `leadgen enrich` fills in the rest). Search costs no
/// credits.
public struct ApolloSourcing: Sendable {
    let leads: LeadStore
    let ingestor: LeadIngestor

    public init(leads: LeadStore, ingestor: LeadIngestor) {
        self.leads = leads
        self.ingestor = ingestor
    }

    public func run(
        _ query: ApolloPeopleQuery, max: Int?, client: ApolloClient, workspace: WorkspaceID, tags: [String] = [],
        reference: String
    ) async throws -> SourcingSummary {
        var summary = SourcingSummary()
        let search = ApolloPeopleSearch(client: client)
        let result = try await search.run(query, limit: max ?? .max) { people in
            let keys = people.map { MatchKey(kind: .apolloPerson, value: $0.id) }
            let known = try await leads.knownIdentities(keys, in: workspace)
            var items: [IngestItem] = []
            for person in people where !known.contains(MatchKey(kind: .apolloPerson, value: person.id)) {
                var values: [LeadColumn: String] = [.apolloPersonID: person.id]
                values[.firstName] = person.firstName
                values[.title] = person.title
                values[.companyName] = person.organization?.name
                guard var input = try? LeadInput.normalizing(values) else { continue }
                input.fields.tags = tags
                items.append(
                    IngestItem(
                        input: input,
                        source: LeadSourceRef(kind: "apollo_search", reference: reference, locator: person.id)))
            }
            let outcomes = try await ingestor.ingest(items, into: workspace, actor: "apollo")
            summary.added += outcomes.filter { if case .created = $0 { true } else { false } }.count
            summary.known += people.count - items.count
            summary.found += people.count
            return people.count
        }
        summary.calls = result.calls
        summary.unreachable = result.unreachable
        summary.totalEntries = result.totalEntries
        return summary
    }
}
