import Foundation
import HTTPTypes
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Storage

/// `/api/v1/leads`: list, create (merging duplicates), get, update, delete, and a lead's events.
struct LeadsController {
    let leads: LeadStore
    let companies: CompanyStore
    let ingestor: LeadIngestor

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("leads", use: list)
        group.post("leads", use: create)
        group.get("leads/{id}.vcf", use: vcard)
        group.get("leads/:id", use: get)
        group.patch("leads/:id", use: update)
        group.delete("leads/:id", use: delete)
        group.get("leads/:id/events", use: events)
        group.post("leads/:id/tags", use: addTags)
    }

    struct Page: Encodable {
        var data: [LeadDTO]
        var nextCursor: String?
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let query = try LeadQueryParameters.parse(request)
        let page = try await leads.list(query, in: context.workspace)
        let body = Page(
            data: page.leads.map { LeadDTO($0, company: $0.companyID.flatMap { page.companies[$0] }) },
            nextCursor: page.nextCursor?.token)
        return try JSONResponse.make(body)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        var payload = LeadPayload(try await JSONResponse.object(request, context: context))
        let input = try payload.input()
        let outcome = try await ingestor.ingest(
            [IngestItem(input: input, source: LeadSourceRef(kind: "api", reference: context.apiKeyID))],
            into: context.workspace, actor: "api_key:\(context.apiKeyID)")[0]
        let dto = try await dto(outcome.leadID, context)
        let status: HTTPResponse.Status = if case .created = outcome { .created } else { .ok }
        var response = try JSONResponse.make(dto, status: status)
        response.headers[.location] = "/api/v1/leads/\(dto.id)"
        return response
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(try await dto(try leadID(context), context))
    }

    /// `GET /api/v1/leads/{id}.vcf`: the lead as a vCard 4.0, for an address book or a phone.
    @Sendable func vcard(_ request: Request, context: APIRequestContext) async throws -> Response {
        let lead = try await dto(try leadID(context), context)
        let name = [lead.firstName, lead.lastName].compactMap { $0 }.joined(separator: "-")
        let file = String(name.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" })
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/vcard; charset=utf-8",
                .contentDisposition: "attachment; filename=\"\(file.isEmpty ? "lead" : file).vcf\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: VCardWriter.card(for: lead))))
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try leadID(context)
        let object = try await JSONResponse.object(request, context: context)
        // A Problem thrown by the patch rolls the transaction back and reaches the client as a 422.
        let updated = try await leads.update(id, in: context.workspace, actor: "api_key:\(context.apiKeyID)") { lead in
            var payload = LeadPayload(object)
            try payload.patch(&lead)
        }
        guard updated != nil else { throw Problem.notFound("lead \(id)") }
        return try JSONResponse.make(try await dto(id, context))
    }

    /// Adds tags to a lead (`{"tags": ["webinar"]}`), keeping the ones it has; adding one it has changes nothing.
    @Sendable func addTags(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try leadID(context)
        var fields = JSONFields(try await JSONResponse.object(request, context: context), allowed: ["tags"])
        let tags = fields.strings("tags") ?? []
        if tags.isEmpty { fields.fail("tags", "name at least one tag") }
        if tags.count > 50 { fields.fail("tags", "at most 50 tags at a time") }
        try fields.check()
        let updated = try await leads.update(id, in: context.workspace, actor: "api_key:\(context.apiKeyID)") { lead in
            do {
                try LeadField.tags.set(items: lead.fields.tags + tags, in: &lead.fields)
            } catch {
                throw Problem.invalid([
                    .init(field: "tags", message: (error as? InvalidFieldValue)?.description ?? "\(error)")
                ])
            }
        }
        guard updated != nil else { throw Problem.notFound("lead \(id)") }
        return try JSONResponse.make(try await dto(id, context))
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try leadID(context)
        guard try await leads.delete(id, in: context.workspace, actor: "api_key:\(context.apiKeyID)") else {
            throw Problem.notFound("lead \(id)")
        }
        return Response(status: .noContent)
    }

    struct EventDTO: Encodable {
        var id: String
        var kind: String
        var field: String?
        var oldValue: String?
        var newValue: String?
        var detail: String?
        var actor: String?
        var createdAt: Date
    }

    @Sendable func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try leadID(context)
        let events = try await leads.events(of: id, in: context.workspace)
        if events.isEmpty, try await leads.get(id, in: context.workspace) == nil {
            throw Problem.notFound("lead \(id)")
        }
        let data = events.map {
            EventDTO(
                id: $0.id, kind: $0.kind.rawValue, field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue,
                detail: $0.detail, actor: $0.actor, createdAt: $0.createdAt)
        }
        return try JSONResponse.make(["data": data])
    }

    private func leadID(_ context: APIRequestContext) throws -> LeadID {
        LeadID(rawValue: try context.parameters.require("id"))
    }

    private func dto(_ id: LeadID, _ context: APIRequestContext) async throws -> LeadDTO {
        guard let lead = try await leads.get(id, in: context.workspace) else { throw Problem.notFound("lead \(id)") }
        let company = try await lead.companyID.asyncFlatMap { try await companies.get($0, in: context.workspace) }
        return LeadDTO(lead, company: company)
    }
}

/// JSON bodies in and out of the API.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body as one JSON object; 413 past the size limit, 415 when it is not JSON, 400 when malformed.
    static func object(_ request: Request, context: some RequestContext) async throws -> [String: JSON] {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Problem(
                status: .unsupportedMediaType, title: "Unsupported Media Type",
                detail: "send the body as application/json, not \(type)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        return try JSON.requestObject(from: Data(buffer: buffer))
    }
}
