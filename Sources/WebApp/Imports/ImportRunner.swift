import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

/// Runs uploaded CSV imports in the background of the server process, recording progress, rejected rows
/// and the outcome in the `imports` table.
///
/// An import that is running when the process stops is left `running`; the durable job queue (a later
/// step) will take these over.
public actor ImportRunner {
    let importer: CSVImporter
    let imports: ImportStore
    let logger: Logger
    private var running: [String: Task<Void, Never>] = [:]

    init(importer: CSVImporter, imports: ImportStore, logger: Logger) {
        self.importer = importer
        self.imports = imports
        self.logger = logger
    }

    /// Records the import and starts it; returns at once with the `queued` record.
    func start(_ upload: Upload, workspace: WorkspaceID, actor: String) async throws -> ImportRecord {
        let record = try await imports.create(workspace: workspace, fileName: upload.fileName)
        let task = Task.detached { [importer, imports, logger] in
            defer { upload.remove() }
            var summary = ImportSummary()
            do {
                try await imports.update(record.id, status: .running, summary: summary)
                var reader = try CSVReader.file(at: upload.path)
                var pending: [(RowRejection, raw: String)] = []
                summary = try await importer.run(
                    &reader, options: .init(workspace: workspace, fileName: upload.fileName, actor: actor),
                    onReject: { rejection, csvRecord in
                        pending.append((rejection, raw: CSVWriter.line(csvRecord.fields)))
                    },
                    onProgress: { progress in
                        try await imports.addRejects(pending, to: record.id)
                        pending.removeAll()
                        try await imports.update(record.id, status: .running, summary: progress)
                    })
                try await imports.update(record.id, status: .succeeded, summary: summary)
            } catch {
                let message = (error as? CSVImportError)?.description ?? "the import stopped: \(error)"
                logger.error(
                    "import failed", metadata: ["import": "\(record.id)", "error": "\(String(reflecting: error))"])
                try? await imports.update(record.id, status: .failed, summary: summary, error: message)
            }
            await self.finished(record.id)
        }
        running[record.id] = task
        return record
    }

    /// Waits until the import has finished (tests, and graceful shutdown).
    public func wait(for id: String) async {
        await running[id]?.value
    }

    /// Waits for every running import.
    public func waitForAll() async {
        for task in running.values { await task.value }
    }

    private func finished(_ id: String) {
        running[id] = nil
    }
}
