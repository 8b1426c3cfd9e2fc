import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/inbound-hooks`: URLs that turn what a form tool posts into leads. Creating one answers with its
/// URL, shown once; `mapping` says which posted field is which lead field (`{"columns": {"Work email":
/// "email"}, "default_country": "GB", "tags": ["webinar"]}`), over the names the CSV import recognizes.
struct InboundHooksController {
    let hooks: InboundHookStore
    /// Where this server is reached from outside; the URL is relative without it.
    let publicURL: URL?

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("inbound-hooks", use: list)
        group.post("inbound-hooks", use: create)
        group.delete("inbound-hooks/:id", use: delete)
    }

    struct HookDTO: Encodable {
        var id, name: String
        var mapping: ImportMapping
        var received: Int
        var lastReceivedAt: Date?
        var createdAt: Date
        /// Only in the answer that creates it.
        var url: String?

        init(_ hook: InboundHook, url: String? = nil) {
            id = hook.id
            name = hook.name
            mapping = hook.mapping
            received = hook.received
            lastReceivedAt = hook.lastReceivedAt
            createdAt = hook.createdAt
            self.url = url
        }
    }

    struct Page: Encodable { var data: [HookDTO] }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Page(data: try await hooks.list(in: context.workspace).map { HookDTO($0) }))
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["name", "mapping"])
        let name = fields.string("name", required: true).map { String($0.prefix(200)) }
        var mapping = ImportMapping()
        if let object = fields.object("mapping") {
            do {
                mapping = try ImportMapping.decode(json: try JSON.object(object).data())
            } catch let error as ImportMappingError {
                fields.fail("mapping", error.message)
            }
        }
        if mapping.columns.count > InboundFields.maxFields || mapping.tags.count > 50 {
            fields.fail("mapping", "at most \(InboundFields.maxFields) columns and 50 tags")
        }
        try fields.check()
        do {
            let (hook, token) = try await hooks.create(name: name ?? "", mapping: mapping, in: context.workspace)
            let path = "/webhooks/inbound/\(token)"
            let base = publicURL?.absoluteString ?? ""
            let url = (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
            return try JSONResponse.make(HookDTO(hook, url: url), status: .created)
        } catch let failure as WorkspaceLimitReached {
            throw Problem(status: .conflict, title: "Conflict", detail: failure.description)
        }
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard try await hooks.delete(id, in: context.workspace) else { throw Problem.notFound("inbound hook \(id)") }
        return Response(status: .noContent)
    }
}
