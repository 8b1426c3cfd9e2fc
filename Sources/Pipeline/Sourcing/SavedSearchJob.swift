import Foundation
import LeadgenCore
import Logging
import Providers
import Storage

/// Runs a saved search as a job and records what it did.
public struct SavedSearchJob: JobHandler {
    public static let kind = "source_saved_search"

    public struct Arguments: Codable, Sendable {
        public var searchID: String
        public var workspace: String

        public init(searchID: String, workspace: String) {
            self.searchID = searchID
            self.workspace = workspace
        }
    }

    let searches: SavedSearchStore
    let sourcing: ApolloSourcing
    let registry: ProviderRegistry

    public init(searches: SavedSearchStore, sourcing: ApolloSourcing, registry: ProviderRegistry) {
        self.searches = searches
        self.sourcing = sourcing
        self.registry = registry
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        let workspace = WorkspaceID(rawValue: arguments.workspace)
        guard let search = try await searches.get(arguments.searchID, in: workspace) else { return }
        let query = try JSONDecoder().decode(ApolloPeopleQuery.self, from: Data(search.query.utf8))
        let client = try await registry.apollo(for: workspace)
        do {
            let summary = try await sourcing.run(
                query, max: search.maxResults, client: client, workspace: workspace, reference: "search:\(search.name)")
            try await searches.recordRun(
                search.id, summary: String(decoding: try JSONEncoder().encode(summary), as: UTF8.self))
        } catch let error as ApolloError where error.isTransient {
            throw RetryLater(error.description, after: 60)
        }
    }
}
