import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Storage

/// `/api/v1/enrichments`: start an enrichment run over the workspace's leads and follow its progress.
struct EnrichmentsController {
    let pipeline: PipelineJobs

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("enrichments", use: create)
        group.get("enrichments", use: list)
        group.get("enrichments/:id", use: get)
    }

    struct Page: Encodable { var data: [EnrichmentRunDTO] }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context),
            allowed: ["status", "tag", "limit", "lead_ids", "include_enriched", "budget", "reveal_phones"])
        var selection = EnrichmentSelection()
        if let text = fields.string("status") {
            selection.status = LeadStatus(rawValue: text)
            if selection.status == nil {
                fields.fail("status", "expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        selection.tag = fields.string("tag")
        selection.limit = fields.integer("limit", in: 1...1_000_000)
        selection.leadIDs = fields.strings("lead_ids")
        selection.includeEnriched = fields.bool("include_enriched") ?? false
        let budget = fields.number("budget", in: 0...100_000_000)
        let revealPhones = fields.bool("reveal_phones") ?? false
        try fields.check()
        guard try await pipeline.registry.isConnected("apollo", context.workspace) else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: ProviderNotConfigured(provider: "apollo").description)
        }
        let run: EnrichmentRun
        do {
            run = try await pipeline.enrichment.start(
                workspace: context.workspace, selection: selection, budget: budget, revealPhones: revealPhones)
        } catch let error as EnrichmentService.PhonesNeedPublicURL {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
        return try JSONResponse.make(try await dto(run), status: .accepted)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        var runs: [EnrichmentRunDTO] = []
        for run in try await pipeline.enrichmentStore.runs(in: context.workspace) { runs.append(try await dto(run)) }
        return try JSONResponse.make(Page(data: runs))
    }

    private func dto(_ run: EnrichmentRun) async throws -> EnrichmentRunDTO {
        let phones =
            run.selection.phoneWebhookURL == nil ? nil : try await pipeline.phoneReveals.counts(run: run.id)
        return EnrichmentRunDTO(run, phones: phones)
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let run = try await pipeline.enrichmentStore.run(id, in: context.workspace) else {
            throw Problem.notFound("enrichment run \(id)")
        }
        return try JSONResponse.make(try await dto(run))
    }
}

/// `/api/v1/syncs`: send the workspace's leads to a CRM (HubSpot) and follow the run.
struct SyncsController {
    let pipeline: PipelineJobs

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
        guard try await pipeline.registry.isConnected(provider, context.workspace) else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: ProviderNotConfigured(provider: provider).description)
        }
        let run = try await pipeline.sync.start(workspace: context.workspace, provider: provider, scope: scope)
        return try JSONResponse.make(run, status: .accepted)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await pipeline.syncStore.runs(in: context.workspace)))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let run = try await pipeline.syncStore.run(id, in: context.workspace) else {
            throw Problem.notFound("sync run \(id)")
        }
        return try JSONResponse.make(run)
    }
}
