import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Storage

/// `/api/v1/connections/{provider}`: a workspace's own credentials for Apollo or HubSpot, stored sealed
/// (AES-GCM under `LEADGEN_MASTER_KEY`) and never returned.
struct ConnectionsController {
    let connections: ConnectionStore

    static let providers = ["apollo", "hubspot"]

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
            try await JSONResponse.object(request, context: context),
            allowed: ["api_key", "access_token", "base_url", "field_mapping", "auto_sync"])
        let secretField = provider == "apollo" ? "api_key" : "access_token"
        let secret = fields.string(secretField, required: true)
        if provider == "apollo", fields.object["access_token"] != nil {
            fields.fail("access_token", "Apollo takes an api_key")
        }
        if provider == "hubspot", fields.object["api_key"] != nil {
            fields.fail("api_key", "HubSpot takes a private app's access_token")
        }
        let baseURL = fields.string("base_url")
        if let baseURL, (try? httpURL(baseURL, setting: "base_url")) == nil {
            fields.fail("base_url", "expected an http or https URL")
        }
        var settings: [String: String] = [:]
        if let mapping = fields.object("field_mapping") {
            if provider != "hubspot" {
                fields.fail("field_mapping", "only HubSpot connections take a field mapping")
            } else {
                let text = String(decoding: try JSONEncoder().encode(JSONValue.object(mapping)), as: UTF8.self)
                do {
                    _ = try HubSpotFieldMapping.parse(text)
                    settings["field_mapping"] = text
                } catch {
                    fields.fail("field_mapping", "\(error)")
                }
            }
        }
        if let autoSync = fields.bool("auto_sync") { settings["auto_sync"] = autoSync ? "true" : "false" }
        try fields.check()
        do {
            let saved = try await connections.save(
                provider, secret: secret ?? "", baseURL: baseURL, settings: settings, in: context.workspace)
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
        guard Self.providers.contains(provider) else {
            throw Problem.notFound("provider \(provider) (expected \(Self.providers.joined(separator: " or ")))")
        }
        return provider
    }
}
