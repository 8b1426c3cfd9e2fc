import Foundation
import Hummingbird
import LeadgenCore
import Storage

/// `/imports/new` (upload form and recent imports), `POST /imports`, and `/imports/{id}` (summary, rejects).
struct ImportPages {
    let templates: Templates
    let submitter: ImportSubmitter
    let imports: ImportStore
    let uploads: UploadReceiver

    func register(on group: RouterGroup<DashboardContext>) {
        group.get("imports/new", use: form)
        group.post("imports", use: upload)
        group.get("imports/:id", use: status)
    }

    struct RecentRow {
        var id, fileName, status: String
        var rowsRead, leadsCreated, leadsMerged, rowsRejected: Int
    }

    struct FormPage {
        var nav: Navigation
        var csrfToken: String
        var error: String?
        var recent: [RecentRow]
        var hasRecent: Bool
    }

    @Sendable func form(_ request: Request, context: DashboardContext) async throws -> Response {
        try await formPage(context, error: nil)
    }

    private func formPage(_ context: DashboardContext, error: String?) async throws -> Response {
        let recent = try await imports.recent(in: context.session.user.workspaceID).map {
            RecentRow(
                id: $0.id, fileName: $0.fileName, status: $0.status.rawValue, rowsRead: $0.summary.rowsRead,
                leadsCreated: $0.summary.leadsCreated, leadsMerged: $0.summary.leadsMerged,
                rowsRejected: $0.summary.rowsRejected)
        }
        return try templates.page(
            "import_new",
            FormPage(
                nav: Navigation(context, active: .imports), csrfToken: context.session.csrfToken, error: error,
                recent: recent, hasRecent: !recent.isEmpty), status: error == nil ? .ok : .badRequest)
    }

    @Sendable func upload(_ request: Request, context: DashboardContext) async throws -> Response {
        let upload: Upload
        do {
            upload = try await uploads.receive(request)
        } catch let problem as Problem {
            return try await formPage(context, error: problem.detail ?? problem.title)
        }
        do {
            try CSRF.check(upload.fields["csrf_token"], expected: context.session.csrfToken)
        } catch {
            upload.remove()
            throw error
        }
        let record = try await submitter.submit(
            upload, workspace: context.session.user.workspaceID, actor: "user:\(context.session.user.email)")
        return Redirect.to("/imports/\(record.id)")
    }

    struct RejectRow {
        var line: Int
        var reason: String
        var row: String
    }

    struct StatusPage {
        var nav: Navigation
        var fileName, status: String
        var running, done: Bool
        var error: String?
        var rowsRead, leadsCreated, leadsMerged, rowsUnchanged, rowsRejected: Int
        var rejects: [RejectRow]
        var hasRejects: Bool
    }

    @Sendable func status(_ request: Request, context: DashboardContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let record = try await imports.get(id, in: context.session.user.workspaceID) else {
            throw DashboardError.notFound
        }
        let rejects = try await imports.rejects(of: id, in: context.session.user.workspaceID).map {
            RejectRow(line: $0.0.line, reason: $0.0.reason, row: $0.raw.trimmingCharacters(in: .newlines))
        }
        let summary = record.summary
        let running = record.status == .queued || record.status == .running
        return try templates.page(
            "import",
            StatusPage(
                nav: Navigation(context, active: .imports), fileName: record.fileName, status: record.status.rawValue,
                running: running, done: record.status == .succeeded, error: record.error, rowsRead: summary.rowsRead,
                leadsCreated: summary.leadsCreated, leadsMerged: summary.leadsMerged,
                rowsUnchanged: summary.rowsUnchanged, rowsRejected: summary.rowsRejected, rejects: rejects,
                hasRejects: !rejects.isEmpty))
    }
}
