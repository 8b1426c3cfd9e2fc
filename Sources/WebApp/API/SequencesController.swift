import Foundation
import Hummingbird
import LeadgenCore
import Outreach
import Storage

/// `/api/v1/sequences`: outreach sequences as JSON definitions — create (every problem named by its path),
/// list, read, pause, resume, and preview what each step says to a lead.
struct SequencesController {
    let sequences: SequenceStore
    let leads: LeadStore
    let companies: CompanyStore

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("sequences", use: list)
        group.post("sequences", use: create)
        group.get("sequences/:id", use: get)
        group.post("sequences/:id/pause", use: pause)
        group.post("sequences/:id/resume", use: resume)
        group.post("sequences/:id/preview", use: preview)
    }

    struct SequenceDTO: Encodable {
        var id, name, status: String
        var steps: Int
        var definition: JSONValue?
        var createdAt, updatedAt: Date
    }

    struct Page: Encodable { var data: [SequenceDTO] }

    static func dto(_ sequence: StoredSequence, withDefinition: Bool) -> SequenceDTO {
        let definition = try? SequenceDefinition(json: Data(sequence.definition.utf8))
        return SequenceDTO(
            id: sequence.id, name: sequence.name, status: sequence.status.rawValue,
            steps: definition?.steps.count ?? 0,
            definition: withDefinition
                ? try? JSONDecoder().decode(JSONValue.self, from: Data(sequence.definition.utf8)) : nil,
            createdAt: sequence.createdAt, updatedAt: sequence.updatedAt)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(
            Page(data: try await sequences.list(in: context.workspace).map { Self.dto($0, withDefinition: false) }))
    }

    /// The body is the definition itself.
    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        let data = Data(buffer: buffer)
        let definition: SequenceDefinition
        do {
            definition = try SequenceDefinition(json: data)
        } catch {
            throw Problem.invalid(
                error.problems.map { .init(field: $0.path.isEmpty ? "body" : $0.path, message: $0.message) })
        }
        let stored = try await sequences.create(
            name: definition.name, definition: String(decoding: data, as: UTF8.self), in: context.workspace)
        return try JSONResponse.make(Self.dto(stored, withDefinition: true), status: .created)
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(Self.dto(try await sequence(context), withDefinition: true))
    }

    @Sendable func pause(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await setStatus(.paused, context)
    }

    @Sendable func resume(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await setStatus(.active, context)
    }

    private func setStatus(_ status: StoredSequence.Status, _ context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let updated = try await sequences.setStatus(id, status, in: context.workspace) else {
            throw Problem.notFound("sequence \(id)")
        }
        return try JSONResponse.make(Self.dto(updated, withDefinition: false))
    }

    /// `{lead_id, sender: {name, email, physical_address}}` → each step as the lead would get it. Without a
    /// sender, placeholders show where the sender's name and address go.
    @Sendable func preview(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["lead_id", "sender"])
        let leadID = fields.string("lead_id", required: true)
        let senderFields = fields.object("sender")
        try fields.check()
        guard let leadID, let lead = try await leads.get(LeadID(rawValue: leadID), in: context.workspace) else {
            throw Problem.invalid([.init(field: "lead_id", message: "no lead \(leadID ?? "") in this workspace")])
        }
        func text(_ key: String) -> String? {
            if case .string(let value)? = senderFields?[key] { return value }
            return nil
        }
        let sender = Sender(
            name: text("name") ?? "[sender name]", email: text("email") ?? "[sender e-mail]", title: text("title"),
            physicalAddress: text("physical_address") ?? "[sender postal address]")
        guard let definition = try? SequenceDefinition(json: Data(stored.definition.utf8)) else {
            throw Problem(status: .conflict, title: "Conflict", detail: "the stored definition no longer reads")
        }
        let company = try await lead.companyID.asyncFlatMap { try await companies.get($0, in: context.workspace) }
        return try JSONResponse.make(SequencePreview(definition, lead: lead, company: company, sender: sender))
    }

    private func sequence(_ context: APIRequestContext) async throws -> StoredSequence {
        let id = try context.parameters.require("id")
        guard let sequence = try await sequences.get(id, in: context.workspace) else {
            throw Problem.notFound("sequence \(id)")
        }
        return sequence
    }
}
