import Foundation
import LeadgenCore
import Providers
import Storage

/// The enrichment providers a run can name, each on the run's workspace's connection.
public enum EnrichmentProviders {
    public static func named(_ name: String, for run: EnrichmentRun, registry: ProviderRegistry) async throws
        -> any EnrichmentProvider
    {
        switch name {
        case "apollo":
            ApolloEnrichmentProvider(
                client: try await registry.apollo(for: WorkspaceID(rawValue: run.workspaceID)),
                phoneWebhook: run.selection.phoneWebhookURL.flatMap(URL.init(string:)))
        default: throw ProviderNotConfigured(provider: name)
        }
    }
}
