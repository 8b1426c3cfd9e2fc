import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// `/api/v1/enrichments`: start an enrichment run over the workspace's leads and follow its progress.
struct EnrichmentsController {
    let registry: ProviderRegistry
    let enrichment: EnrichmentService
    let store: EnrichmentStore
    let phoneReveals: PhoneRevealStore

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
        guard try await registry.isConnected("apollo", context.workspace) else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: ProviderNotConfigured(provider: "apollo").description)
        }
        let run: EnrichmentRun
        do {
            run = try await enrichment.start(
                workspace: context.workspace, selection: selection, budget: budget, revealPhones: revealPhones)
        } catch let error as EnrichmentService.PhonesNeedPublicURL {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
        return try JSONResponse.make(try await dto(run), status: .accepted)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        var runs: [EnrichmentRunDTO] = []
        for run in try await store.runs(in: context.workspace) { runs.append(try await dto(run)) }
        return try JSONResponse.make(Page(data: runs))
    }

    private func dto(_ run: EnrichmentRun) async throws -> EnrichmentRunDTO {
        let phones =
            run.selection.phoneWebhookURL == nil ? nil : try await phoneReveals.counts(run: run.id)
        return EnrichmentRunDTO(run, phones: phones)
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let run = try await store.run(id, in: context.workspace) else {
            throw Problem.notFound("enrichment run \(id)")
        }
        return try JSONResponse.make(try await dto(run))
    }
}
