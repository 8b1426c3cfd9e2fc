import Foundation
import Hummingbird
import LeadgenCore
import Pipeline
import Providers
import Storage

/// `/api/v1/saved-searches`: Apollo people searches kept under a name; running one adds the people not yet
/// known as leads (search costs no credits; `POST /api/v1/enrichments` fills in e-mails).
struct SavedSearchesController {
    let registry: ProviderRegistry
    let searches: SavedSearchStore
    let jobs: JobQueue

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("saved-searches", use: create)
        group.get("saved-searches", use: list)
        group.get("saved-searches/:id", use: get)
        group.delete("saved-searches/:id", use: delete)
        group.post("saved-searches/:id/run", use: run)
    }

    struct SearchDTO: Encodable {
        var id, name, provider: String
        var query: ApolloPeopleQuery
        var max: Int?
        var createdAt: Date
        var lastRunAt: Date?
        var lastRun: SourcingSummary?

        init(_ search: SavedSearch) {
            id = search.id
            name = search.name
            provider = search.provider
            query =
                (try? JSONDecoder().decode(ApolloPeopleQuery.self, from: Data(search.query.utf8)))
                ?? ApolloPeopleQuery()
            max = search.maxResults
            createdAt = search.createdAt
            lastRunAt = search.lastRunAt
            lastRun = search.lastSummary.flatMap {
                try? JSONDecoder().decode(SourcingSummary.self, from: Data($0.utf8))
            }
        }
    }

    struct Page: Encodable { var data: [SearchDTO] }
    struct Queued: Encodable {
        var search: SearchDTO
        var jobID: String?
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["name", "query", "max"])
        let name = fields.string("name", required: true)
        let max = fields.integer("max", in: 1...1_000_000)
        var query = ApolloPeopleQuery()
        if let object = fields.object("query") {
            var inner = JSONFields(
                object,
                allowed: ["titles", "locations", "domains", "seniorities", "employees", "keywords", "email_statuses"],
                at: "query")
            query = Self.query(&inner)
            fields.add(inner)
        } else {
            fields.fail("query", "is required")
        }
        try fields.check()
        do {
            let search = try await searches.create(
                name: name ?? "", provider: "apollo",
                query: String(decoding: try JSONEncoder().encode(query), as: UTF8.self), maxResults: max,
                in: context.workspace)
            return try JSONResponse.make(SearchDTO(search), status: .created)
        } catch let error as StoreError {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
    }

    /// The query's filters, checked against Apollo's values.
    static func query(_ fields: inout JSONFields) -> ApolloPeopleQuery {
        var query = ApolloPeopleQuery()
        query.personTitles = fields.strings("titles")
        query.personLocations = fields.strings("locations")
        query.organizationDomains = fields.strings("domains")?.map { $0.lowercased() }
        query.keywords = fields.string("keywords")
        query.emailStatuses = fields.strings("email_statuses")
        if let seniorities = fields.strings("seniorities") {
            for value in seniorities where !ApolloPeopleQuery.seniorities.contains(value) {
                fields.fail(
                    "seniorities", "'\(value)' is not one of \(ApolloPeopleQuery.seniorities.joined(separator: ", "))")
            }
            query.personSeniorities = seniorities
        }
        if let ranges = fields.strings("employees") {
            for range in ranges where EmployeeRange.parse(range) == nil {
                fields.fail("employees", "'\(range)' is not a range such as \"51,200\" or \"10001,\"")
            }
            query.employeeRanges = ranges
        }
        return query
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(
            Page(data: try await searches.list(in: context.workspace).map(SearchDTO.init)))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(SearchDTO(try await search(context)))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let search = try await search(context)
        _ = try await searches.delete(search.id, in: context.workspace)
        return Response(status: .noContent)
    }

    @Sendable func run(_ request: Request, context: APIRequestContext) async throws -> Response {
        let search = try await search(context)
        guard try await registry.isConnected("apollo", context.workspace) else {
            throw Problem(
                status: .conflict, title: "Conflict", detail: ProviderNotConfigured(provider: "apollo").description)
        }
        let jobID = try await jobs.enqueue(
            try NewJob(
                kind: SavedSearchJob.kind,
                payload: SavedSearchJob.Arguments(searchID: search.id, workspace: context.workspace.rawValue),
                queue: SyncPlanJob.queue, uniqueKey: "saved-search:\(search.id)", workspace: context.workspace))
        return try JSONResponse.make(Queued(search: SearchDTO(search), jobID: jobID), status: .accepted)
    }

    private func search(_ context: APIRequestContext) async throws -> SavedSearch {
        let id = try context.parameters.require("id")
        guard let search = try await searches.get(id, in: context.workspace) else {
            throw Problem.notFound("saved search \(id)")
        }
        return search
    }
}

/// "51,200" or "10001," → the bounds of an employee-count range.
enum EmployeeRange {
    static func parse(_ text: String) -> (Int, Int?)? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, let low = Int(parts[0]), low >= 0 else { return nil }
        if parts[1].isEmpty { return (low, nil) }
        guard let high = Int(parts[1]), high >= low else { return nil }
        return (low, high)
    }
}
