import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/companies`: list and get.
struct CompaniesController {
    let companies: CompanyStore

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("companies", use: list)
        group.get("companies/:id", use: get)
    }

    struct Page: Encodable {
        var data: [CompanyDTO]
        var nextCursor: String?
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        for (key, _) in parameters where !["q", "limit", "cursor"].contains(String(key)) {
            throw Problem.invalid([.init(field: String(key), message: "unknown query parameter")])
        }
        var limit = 50
        if let text = parameters["limit"] {
            guard let value = Int(text), (1...200).contains(value) else {
                throw Problem.invalid([.init(field: "limit", message: "expected a number from 1 to 200")])
            }
            limit = value
        }
        let after = parameters["cursor"].map(String.init)
        let page = try await companies.list(
            in: context.workspace, text: parameters["q"].map(String.init), after: after, limit: limit + 1)
        let data = page.prefix(limit).map(CompanyDTO.init)
        return try JSONResponse.make(Page(data: Array(data), nextCursor: page.count > limit ? data.last?.id : nil))
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = CompanyID(rawValue: try context.parameters.require("id"))
        guard let company = try await companies.get(id, in: context.workspace) else {
            throw Problem.notFound("company \(id)")
        }
        return try JSONResponse.make(CompanyDTO(company))
    }
}
