import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/api/v1/imports`: start a CSV import (text/csv or multipart upload) and follow its progress.
struct ImportsController {
    let submitter: ImportSubmitter
    let imports: ImportStore
    let uploads: UploadReceiver

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("imports", use: create)
        group.get("imports/:id", use: get)
    }

    struct ImportDTO: Encodable {
        struct Reject: Encodable {
            var line: Int
            var reason: String
            var row: String
        }

        var id: String
        var status: String
        var fileName: String
        var rowsRead: Int
        var leadsCreated: Int
        var leadsMerged: Int
        var rowsUnchanged: Int
        var rowsRejected: Int
        var error: String?
        var createdAt: Date
        var finishedAt: Date?
        var rejects: [Reject]?

        init(_ record: ImportRecord, rejects: [(RowRejection, raw: String)]?) {
            id = record.id
            status = record.status.rawValue
            fileName = record.fileName
            rowsRead = record.summary.rowsRead
            leadsCreated = record.summary.leadsCreated
            leadsMerged = record.summary.leadsMerged
            rowsUnchanged = record.summary.rowsUnchanged
            rowsRejected = record.summary.rowsRejected
            error = record.error
            createdAt = record.createdAt
            finishedAt = record.finishedAt
            self.rejects = rejects?.map {
                Reject(line: $0.0.line, reason: $0.0.reason, row: $0.raw.trimmingCharacters(in: .newlines))
            }
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let upload = try await uploads.receive(request)
        let record = try await submitter.submit(
            upload, workspace: context.workspace, actor: "api_key:\(context.apiKeyID)")
        var response = try JSONResponse.make(ImportDTO(record, rejects: nil), status: .accepted)
        response.headers[.location] = "/api/v1/imports/\(record.id)"
        return response
    }

    @Sendable func get(_ request: Request, context: APIRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let record = try await imports.get(id, in: context.workspace) else {
            throw Problem.notFound("import \(id)")
        }
        return try JSONResponse.make(
            ImportDTO(record, rejects: try await imports.rejects(of: id, in: context.workspace)))
    }
}
