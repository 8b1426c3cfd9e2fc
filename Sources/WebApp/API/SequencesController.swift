import Foundation
import Hummingbird
import LeadgenCore
import NIOFoundationEssentialsCompat
import Outreach
import Pipeline
import Storage

/// `/api/v1/sequences`: outreach sequences as JSON definitions — create (every problem named by its path),
/// list, read, pause, resume, and preview what each step says to a lead.
struct SequencesController {
    let sequences: SequenceStore
    let leads: LeadStore
    let companies: CompanyStore
    let enrollments: EnrollmentStore
    let enrollment: EnrollmentService

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("sequences", use: list)
        group.post("sequences", use: create)
        group.get("sequences/:id", use: get)
        group.put("sequences/:id", use: update)
        group.delete("sequences/:id", use: delete)
        group.post("sequences/:id/pause", use: pause)
        group.post("sequences/:id/resume", use: resume)
        group.post("sequences/:id/preview", use: preview)
        group.post("sequences/:id/enroll", use: enroll)
        group.get("sequences/:id/enrollments", use: listEnrollments)
    }

    struct SequenceDTO: Encodable {
        var id, name, status: String
        var steps: Int
        var definition: JSON?
        var createdAt, updatedAt: Date
    }

    struct Page: Encodable { var data: [SequenceDTO] }

    static func dto(_ sequence: StoredSequence, withDefinition: Bool) -> SequenceDTO {
        let definition = try? SequenceDefinition(json: Data(sequence.definition.utf8))
        return SequenceDTO(
            id: sequence.id, name: sequence.name, status: sequence.status.rawValue,
            steps: definition?.steps.count ?? 0,
            definition: withDefinition
                ? try? JSONDecoder().decode(JSON.self, from: Data(sequence.definition.utf8)) : nil,
            createdAt: sequence.createdAt, updatedAt: sequence.updatedAt)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        try JSONResponse.make(
            Page(data: try await sequences.list(in: context.workspace).map { Self.dto($0, withDefinition: false) }))
    }

    /// The body is a definition: read whole, every problem named by its path.
    private func definition(_ request: Request, _ context: APIRequestContext) async throws -> (SequenceDefinition, Data)
    {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw Problem.tooLarge(limit: context.maxUploadSize)
        }
        let data = Data(buffer: buffer)
        do {
            return (try SequenceDefinition(json: data), data)
        } catch {
            throw Problem.invalid(
                error.problems.map { .init(field: $0.path.isEmpty ? "body" : $0.path, message: $0.message) })
        }
    }

    /// Replaces the definition. While leads are in the sequence, its steps (their ids and types, in order) must
    /// stay as they are — enrolments count their place by them; wording, window and settings may change.
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        let (definition, data) = try await self.definition(request, context)
        let current = try? SequenceDefinition(json: Data(stored.definition.utf8))
        if current?.shape != definition.shape, try await sequences.goingEnrollments(stored.id) > 0 {
            throw Problem(
                status: .conflict, title: "Conflict",
                detail:
                    "leads are in this sequence: its steps (their ids and types, in order) cannot change; create a new sequence, or change wording, window and settings only"
            )
        }
        guard
            let updated = try await sequences.update(
                stored.id, name: definition.name, definition: String(decoding: data, as: UTF8.self),
                in: context.workspace)
        else { throw Problem.notFound("sequence \(stored.id)") }
        return try JSONResponse.make(Self.dto(updated, withDefinition: true))
    }

    /// Deletes the sequence with its enrolments and their messages.
    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        guard try await sequences.delete(stored.id, in: context.workspace) else {
            throw Problem.notFound("sequence \(stored.id)")
        }
        return Response(status: .noContent)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (definition, data) = try await self.definition(request, context)
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

    struct Skipped: Encodable {
        var leadId: String
        var reason: String
    }

    struct EnrollReceipt: Encodable {
        var enrolled: Int
        /// How many were left out; `skipped` lists the first thousand.
        var skippedTotal: Int
        var skipped: [Skipped]
    }

    /// `{lead_ids: […]}`, `{tag: "…"}` or `{filter: {…}}` (the leads list's filters: q, status, tag,
    /// company_domain, country, created_after, created_before; every matching lead): each lead the sequence can
    /// and may reach is enrolled once; the others are listed with why (no_email, invalid_email, undeliverable_email, no_phone,
    /// suppressed, active_elsewhere, already_enrolled, not_found).
    @Sendable func enroll(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        var fields = JSONFields(
            try await JSONResponse.object(request, context: context), allowed: ["lead_ids", "tag", "filter"])
        let ids = fields.strings("lead_ids")
        let tag = fields.string("tag")
        let filter = fields.object("filter")
        if [ids != nil, tag != nil, filter != nil].filter({ $0 }).count != 1 {
            fields.fail("lead_ids", "give lead_ids, a tag or a filter, one of them")
        }
        if let ids, ids.count > 10_000 { fields.fail("lead_ids", "at most 10,000 leads at a time") }
        var filterValues: [String: String] = [:]
        for (name, value) in filter ?? [:] {
            guard case .string(let text) = value else {
                fields.fail("filter.\(name)", "expected a string")
                continue
            }
            filterValues[name] = text
        }
        try fields.check()
        var skipped: [Skipped] = []
        var enrolled = 0
        do {
            if let ids {
                let found = try await leads.get(ids.map { LeadID(rawValue: $0) }, in: context.workspace)
                let known = Set(found.map(\.id.rawValue))
                skipped += ids.filter { !known.contains($0) }.map { Skipped(leadId: $0, reason: "not_found") }
                let outcome = try await enrollment.enroll(found, in: stored)
                enrolled += outcome.enrolled.count
                skipped += outcome.skipped.map { Skipped(leadId: $0.leadID.rawValue, reason: $0.reason) }
            } else {
                var query: LeadQuery
                if let tag {
                    query = LeadQuery()
                    query.tag = tag
                } else {
                    query = try LeadQueryParameters.parseFilter(filterValues)
                }
                // Page by page, so a tag or a filter of any size is enrolled whole.
                query.limit = 1000
                while true {
                    let page = try await leads.list(query, in: context.workspace)
                    let outcome = try await enrollment.enroll(page.leads, in: stored)
                    enrolled += outcome.enrolled.count
                    skipped += outcome.skipped.map { Skipped(leadId: $0.leadID.rawValue, reason: $0.reason) }
                    guard let next = page.nextCursor else { break }
                    query.cursor = next
                }
            }
        } catch let error as EnrollmentService.UnreadableDefinition {
            throw Problem(status: .conflict, title: "Conflict", detail: error.description)
        }
        return try JSONResponse.make(
            EnrollReceipt(enrolled: enrolled, skippedTotal: skipped.count, skipped: Array(skipped.prefix(1000))))
    }

    struct EnrollmentDTO: Encodable {
        var id, leadId, status: String
        var statusReason: String?
        var stepIndex: Int
        var nextActionAt: Date?
        var createdAt: Date
    }

    struct Enrollments: Encodable { var data: [EnrollmentDTO] }

    @Sendable func listEnrollments(_ request: Request, context: APIRequestContext) async throws -> Response {
        let stored = try await sequence(context)
        return try JSONResponse.make(
            Enrollments(
                data: try await enrollments.list(sequence: stored.id, in: context.workspace).map {
                    EnrollmentDTO(
                        id: $0.id, leadId: $0.leadID.rawValue, status: $0.status.rawValue,
                        statusReason: $0.statusReason, stepIndex: $0.stepIndex,
                        nextActionAt: $0.nextActionAt, createdAt: $0.createdAt)
                }))
    }

    private func sequence(_ context: APIRequestContext) async throws -> StoredSequence {
        let id = try context.parameters.require("id")
        guard let sequence = try await sequences.get(id, in: context.workspace) else {
            throw Problem.notFound("sequence \(id)")
        }
        return sequence
    }
}
