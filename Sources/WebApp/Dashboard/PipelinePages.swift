import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// `/pipeline`: find people in Apollo, enrich leads within a budget, sync them to HubSpot, and follow the
/// runs. Every form posts with its CSRF token and queues a job; the page refreshes itself while work runs.
struct PipelinePages {
    let templates: Templates
    let registry: ProviderRegistry
    let searches: SavedSearchStore
    let enrichment: EnrichmentService
    let enrichmentRuns: EnrichmentStore
    let sync: SyncService
    let syncRuns: SyncStore
    let jobs: JobQueue
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("pipeline", use: show)
        group.post("pipeline/searches", use: search)
        group.post("pipeline/searches/:id/run", use: runSearch)
        group.post("pipeline/enrichments", use: enrich)
        group.post("pipeline/syncs", use: sync)
    }

    struct SearchRow {
        var id, name, filters: String
        var lastRun: String
    }

    struct EnrichmentRow {
        var status, created: String
        var selected, enriched, notFound, fromCache, overBudget, interrupted, failed: Int
        var spent, budget: String
    }

    struct SyncRow {
        var status, created, scope: String
        var selected, createdCount, updated, unchanged, failed: Int
        var error: String?
    }

    struct Page {
        var nav: Navigation
        var csrfToken: String
        var error: String?
        var apolloConnected, hubspotConnected, sandbox: Bool
        var seniorities: [String]
        var searches: [SearchRow]
        var enrichments: [EnrichmentRow]
        var syncs: [SyncRow]
        var hasSearches, hasEnrichments, hasSyncs, running: Bool
    }

    @Sendable func show(_ request: Request, context: DashboardContext) async throws -> Response {
        try await page(context, error: nil)
    }

    private func page(_ context: DashboardContext, error: String?) async throws -> Response {
        let workspace = context.session.user.workspaceID
        let searches = try await searches.list(in: workspace).map { search -> SearchRow in
            let query = (try? JSONDecoder().decode(ApolloPeopleQuery.self, from: Data(search.query.utf8)))
            let summary = search.lastSummary.flatMap {
                try? JSONDecoder().decode(SourcingSummary.self, from: Data($0.utf8))
            }
            return SearchRow(
                id: search.id, name: search.name, filters: query.map(Self.describe) ?? "",
                lastRun: summary.map { "\($0.added) added, \($0.known) already known (of \($0.totalEntries))" }
                    ?? "not run yet")
        }
        let enrichments = try await enrichmentRuns.runs(in: workspace, limit: 10)
        let syncs = try await syncRuns.runs(in: workspace, limit: 10)
        let running =
            enrichments.contains { !$0.isFinished } || syncs.contains { !$0.isFinished }
            || searches.contains { $0.lastRun == "not run yet" }
        return try templates.page(
            "pipeline",
            Page(
                nav: Navigation(context, active: .pipeline), csrfToken: context.session.csrfToken, error: error,
                apolloConnected: try await registry.isConnected("apollo", workspace),
                hubspotConnected: try await registry.isConnected("hubspot", workspace),
                sandbox: registry.settings.servesAllWorkspaces,
                seniorities: ApolloPeopleQuery.seniorities, searches: searches,
                enrichments: enrichments.map {
                    EnrichmentRow(
                        status: $0.status.rawValue, created: $0.createdAt.formatted(.iso8601),
                        selected: $0.leadsSelected, enriched: $0.leadsEnriched, notFound: $0.leadsNotFound,
                        fromCache: $0.leadsFromCache, overBudget: $0.leadsOverBudget, interrupted: $0.leadsInterrupted,
                        failed: $0.leadsFailed, spent: Self.credits($0.spent),
                        budget: $0.budget.map(Self.credits) ?? "—")
                },
                syncs: syncs.map {
                    SyncRow(
                        status: $0.status.rawValue, created: $0.createdAt.formatted(.iso8601), scope: $0.scope.rawValue,
                        selected: $0.leadsSelected, createdCount: $0.leadsCreated, updated: $0.leadsUpdated,
                        unchanged: $0.leadsUnchanged, failed: $0.leadsFailed, error: $0.error)
                },
                hasSearches: !searches.isEmpty, hasEnrichments: !enrichments.isEmpty, hasSyncs: !syncs.isEmpty,
                running: running && error == nil),
            status: error == nil ? .ok : .badRequest)
    }

    @Sendable func search(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let workspace = context.session.user.workspaceID
        var query = ApolloPeopleQuery()
        query.personTitles = Self.list(form["title"])
        query.personLocations = Self.list(form["location"])
        query.organizationDomains = Self.list(form["domain"])?.map { $0.lowercased() }
        if let seniority = form["seniority"], !seniority.isEmpty {
            guard ApolloPeopleQuery.seniorities.contains(seniority) else {
                return try await page(context, error: "Seniority: '\(seniority)' is not one Apollo knows")
            }
            query.personSeniorities = [seniority]
        }
        let maxText = form["max"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let max = maxText.isEmpty ? 100 : Int(maxText)
        guard let max, (1...50_000).contains(max) else {
            return try await page(context, error: "At most: expected a number from 1 to 50,000")
        }
        guard try await registry.isConnected("apollo", workspace) else {
            return try await page(context, error: ProviderNotConfigured(provider: "apollo").description)
        }
        let name =
            form["name"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            ?? "\(Self.describe(query)) · \(now().formatted(.iso8601))"
        let saved: SavedSearch
        do {
            saved = try await searches.create(
                name: name, provider: "apollo", query: String(decoding: try JSONEncoder().encode(query), as: UTF8.self),
                maxResults: max, in: workspace)
        } catch let error as StoreError {
            return try await page(context, error: error.description)
        }
        try await enqueueSearch(saved.id, workspace)
        return Redirect.to("/pipeline")
    }

    @Sendable func runSearch(_ request: Request, context: DashboardContext) async throws -> Response {
        _ = try await checkedForm(request, context)
        let id = try context.parameters.require("id")
        guard try await searches.get(id, in: context.session.user.workspaceID) != nil else {
            throw DashboardError.notFound
        }
        try await enqueueSearch(id, context.session.user.workspaceID)
        return Redirect.to("/pipeline")
    }

    @Sendable func enrich(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let workspace = context.session.user.workspaceID
        var budget: Double?
        if let text = form["budget"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let value = Double(text), value >= 0 else {
                return try await page(context, error: "Budget: expected a number of credits, 0 or more")
            }
            budget = value
        }
        guard try await registry.isConnected("apollo", workspace) else {
            return try await page(context, error: ProviderNotConfigured(provider: "apollo").description)
        }
        let tag = form["tag"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        _ = try await enrichment.start(
            workspace: workspace, selection: EnrichmentSelection(tag: tag), budget: budget)
        return Redirect.to("/pipeline")
    }

    @Sendable func sync(_ request: Request, context: DashboardContext) async throws -> Response {
        let form = try await checkedForm(request, context)
        let workspace = context.session.user.workspaceID
        guard try await registry.isConnected("hubspot", workspace) else {
            return try await page(context, error: ProviderNotConfigured(provider: "hubspot").description)
        }
        _ = try await sync.start(workspace: workspace, scope: form["all"] == "on" ? .all : .changed)
        return Redirect.to("/pipeline")
    }

    private func checkedForm(_ request: Request, _ context: DashboardContext) async throws -> [String: String] {
        let form = try await Forms.read(request)
        try CSRF.check(form["csrf_token"], expected: context.session.csrfToken)
        return form
    }

    private func enqueueSearch(_ id: String, _ workspace: WorkspaceID) async throws {
        _ = try await jobs.enqueue(
            try NewJob(
                kind: SavedSearchJob.kind,
                payload: SavedSearchJob.Arguments(searchID: id, workspace: workspace.rawValue),
                queue: SyncPlanJob.queue, uniqueKey: "saved-search:\(id)", workspace: workspace))
    }

    /// "vp · Germany · 51,200": a query in a few words.
    static func describe(_ query: ApolloPeopleQuery) -> String {
        let parts = [
            query.personTitles, query.personSeniorities, query.personLocations, query.organizationDomains,
            query.employeeRanges,
        ].compactMap { $0?.joined(separator: ", ") }.filter { !$0.isEmpty }
        return parts.isEmpty ? "everyone" : parts.joined(separator: " · ")
    }

    /// Comma-separated values of a form field.
    static func list(_ text: String?) -> [String]? {
        let values = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        return values.isEmpty ? nil : values
    }

    static func credits(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.3f", value)
    }
}
