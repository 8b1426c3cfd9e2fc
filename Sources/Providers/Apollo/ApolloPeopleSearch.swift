import Foundation

/// Walks every page of a people search, and when a query matches more people than Apollo will show
/// (500 pages of 100: 50,000), splits it by facets — seniority, then company size — into narrower queries
/// that each fit, so the caller still gets every person. People are reported once each, by Apollo id.
public struct ApolloPeopleSearch: Sendable {
    /// What a walk found and what it could not reach.
    public struct Summary: Sendable, Equatable {
        /// People reported to the caller.
        public var people = 0
        /// Search calls made.
        public var calls = 0
        /// What Apollo said the original query matches.
        public var totalEntries = 0
        /// People no split could reach: a narrowest query still over the cap, or people without the facet
        /// the query was split by. Reported, never hidden.
        public var unreachable = 0
    }

    let client: ApolloClient
    /// The most records one query can show; Apollo's is 50,000. Smaller in tests against a small sandbox.
    let recordCap: Int
    let perPage: Int

    public init(
        client: ApolloClient, recordCap: Int = ApolloClient.maxPages * ApolloClient.maxPerPage,
        perPage: Int = ApolloClient.maxPerPage
    ) {
        self.client = client
        self.recordCap = recordCap
        self.perPage = perPage
    }

    /// Calls `onPage` with each page's people not reported before, until `limit` people are reported.
    /// `onPage` returns how many of them it kept; only those count towards `limit`.
    public func run(
        _ query: ApolloPeopleQuery, limit: Int = .max,
        onPage: ([ApolloSearchPerson]) async throws -> Int
    ) async throws -> Summary {
        var summary = Summary()
        var seen = Set<String>()
        var pending = [query]
        var first = true
        while let next = pending.popLast(), summary.people < limit {
            let page = try await client.searchPeople(next, page: 1, perPage: perPage)
            summary.calls += 1
            if first {
                summary.totalEntries = page.totalEntries
                first = false
            }
            if page.totalEntries > recordCap, let splits = Self.split(next) {
                // Narrower queries in search order; the people they cannot reach are counted once known.
                var covered = 0
                var splitQueries: [ApolloPeopleQuery] = []
                for split in splits {
                    let probe = try await client.searchPeople(split, page: 1, perPage: 1)
                    summary.calls += 1
                    covered += probe.totalEntries
                    if probe.totalEntries > 0 { splitQueries.append(split) }
                }
                summary.unreachable += max(0, page.totalEntries - covered)
                pending += splitQueries.reversed()
                continue
            }
            if page.totalEntries > recordCap { summary.unreachable += page.totalEntries - recordCap }
            try await walk(next, firstPage: page, limit: limit, seen: &seen, summary: &summary, onPage: onPage)
        }
        return summary
    }

    private func walk(
        _ query: ApolloPeopleQuery, firstPage: ApolloSearchPage, limit: Int, seen: inout Set<String>,
        summary: inout Summary, onPage: ([ApolloSearchPerson]) async throws -> Int
    ) async throws {
        let pages = min(ApolloClient.maxPages, (min(firstPage.totalEntries, recordCap) + perPage - 1) / perPage)
        var page = firstPage
        var number = 1
        while true {
            let fresh = page.people.filter { seen.insert($0.id).inserted }
            if !fresh.isEmpty {
                let room = limit - summary.people
                summary.people += try await onPage(Array(fresh.prefix(room)))
            }
            number += 1
            guard number <= pages, page.people.count == perPage, summary.people < limit else { return }
            page = try await client.searchPeople(query, page: number, perPage: perPage)
            summary.calls += 1
        }
    }

    /// The query split along the first facet it does not already pin to a single value.
    static func split(_ query: ApolloPeopleQuery) -> [ApolloPeopleQuery]? {
        if (query.personSeniorities?.count ?? 0) != 1 {
            let values = query.personSeniorities ?? ApolloPeopleQuery.seniorities
            return values.map { value in
                var narrower = query
                narrower.personSeniorities = [value]
                return narrower
            }
        }
        if (query.employeeRanges?.count ?? 0) != 1 {
            let values = query.employeeRanges ?? ApolloPeopleQuery.employeeBands
            return values.map { value in
                var narrower = query
                narrower.employeeRanges = [value]
                return narrower
            }
        }
        return nil
    }
}
