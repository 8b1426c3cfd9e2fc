import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// `/api/v1/syncs`: send the workspace's leads to a CRM (HubSpot) and follow the run.
struct SyncsController {
    let registry: ProviderRegistry
    let sync: SyncService
    let store: SyncStore

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("syncs", use: create)
        group.get("syncs", use: list)
        group.get("syncs/:id", use: get)
    }

    struct Page: Encodable { var data: [SyncRun] }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["provider", "scope"])
        let provider = fields.string("provider") ?? "hubspot"
        if provider != "hubspot" { fields.fail("provider", "expected hubspot (the only CRM connected so far)") }
        var scope = SyncRun.Scope.changed
        if let text = fields.string("scope") {
            if let value = SyncRun.Scope(rawValue: text) {
                scope = value
            } else {
                fields.fail("scope", "expected changed or all")
            }
        }
        try fields.check()
        guard try await registry.isConnected(provider, context.workspace) else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: ProviderNotConfigured(provider: provider).description)
        }
        let run = try await sync.start(workspace: context.workspace, provider: provider, scope: scope)
        return try JSONResponse.make(run, status: .accepted)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await store.runs(in: context.workspace)))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let run = try await store.run(id, in: context.workspace) else {
            throw Problem.notFound("sync run \(id)")
        }
        return try JSONResponse.make(run)
    }
}
