import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Storage

/// `/api/v1/connections/{provider}`: a workspace's own credentials for Apollo, HubSpot, Slack, Make and
/// the keychains of Make HTTP modules, stored sealed (AES-GCM under `LEADGEN_MASTER_KEY`) and never
/// returned.
struct ConnectionsController {
    let connections: ConnectionStore
    /// A base URL or webhook URL that the server would refuse to call is refused when it is saved.
    let outbound: OutboundURLPolicy

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("connections", use: list)
        group.put("connections/:provider", use: put)
        group.delete("connections/:provider", use: delete)
    }

    struct ConnectionDTO: Encodable {
        var provider: String
        var baseURL: String?
        var updatedAt: Date
        enum CodingKeys: String, CodingKey { case provider, baseURL = "base_url", updatedAt = "updated_at" }
    }

    struct Page: Encodable { var data: [ConnectionDTO] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let rows = try await connections.providers(in: context.workspace)
        return try JSONResponse.make(
            Page(data: rows.map { ConnectionDTO(provider: $0.provider, baseURL: $0.baseURL, updatedAt: $0.updatedAt) }))
    }

    @Sendable func put(_ request: Request, context: APIRequestContext) async throws -> Response {
        let provider = try providerParameter(context)
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ConnectionInput.allowed)
        let input = try ConnectionInput.read(provider, &fields)
        for (field, text) in [("base_url", input.baseURL), ("webhook_url", provider == "slack" ? input.secret : nil)] {
            guard let text, let url = URL(string: text) else { continue }
            do { try await outbound.check(url) } catch { fields.fail(field, error.description) }
        }
        try fields.check()
        do {
            let saved = try await connections.save(
                provider, secret: input.secret, baseURL: input.baseURL, settings: input.settings,
                in: context.workspace)
            return try JSONResponse.make(
                ConnectionDTO(provider: provider, baseURL: saved.baseURL, updatedAt: saved.updatedAt))
        } catch let error as ConnectionStore.MasterKeyMissing {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let provider = try providerParameter(context)
        guard try await connections.delete(provider, in: context.workspace) else {
            throw Problem.notFound("a \(provider) connection")
        }
        return Response(status: .noContent)
    }

    private func providerParameter(_ context: APIRequestContext) throws -> String {
        let provider = try context.parameters.require("provider")
        guard ConnectionInput.isProvider(provider) else {
            throw Problem.notFound(
                "provider \(provider) (expected \(ConnectionInput.providers.joined(separator: ", ")) or keychain-<id>)")
        }
        return provider
    }
}
