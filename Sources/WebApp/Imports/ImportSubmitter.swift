import Foundation
import LeadgenCore
import Pipeline
import Storage

/// Turns an upload into a queued import: the import record, the file and its job are written in one
/// transaction, so a job never exists without its file and a file never waits without a job.
public struct ImportSubmitter: Sendable {
    let database: LeadgenDatabase
    let imports: ImportStore
    let files: ImportFileStore
    let jobs: JobQueue

    func submit(_ upload: Upload, workspace: WorkspaceID, actor: String) async throws -> ImportRecord {
        defer { upload.remove() }
        let (imports, files, jobs) = (self.imports, self.files, self.jobs)
        return try await database.transaction { db in
            let record = try await imports.create(workspace: workspace, fileName: upload.fileName, on: db)
            try await files.store(fileAt: upload.path, for: record.id, on: db)
            let arguments = ImportJob.Arguments(
                importID: record.id, workspace: workspace, fileName: upload.fileName, actor: actor)
            try await jobs.enqueue(
                try NewJob(
                    kind: ImportJob.kind, payload: arguments, queue: "imports", uniqueKey: "import:\(record.id)",
                    workspace: workspace),
                on: db)
            return record
        }
    }
}
