import Foundation
import LeadgenCore
import Logging
import Storage

/// Runs an uploaded CSV import as a job: restores the stored file, imports it while recording progress and
/// rejected rows, and records the outcome.
///
/// A retry after a crash starts the file again; the rows that were already imported are recognized by
/// their fingerprints and skipped, so nothing is created twice.
public struct ImportJob: JobHandler {
    public static let kind = "import_csv"

    public struct Arguments: Codable, Sendable {
        public var importID: String
        public var workspace: String
        public var fileName: String
        public var actor: String?

        public init(importID: String, workspace: WorkspaceID, fileName: String, actor: String?) {
            self.importID = importID
            self.workspace = workspace.rawValue
            self.fileName = fileName
            self.actor = actor
        }
    }

    let importer: CSVImporter
    let imports: ImportStore
    let files: ImportFileStore
    let temporaryDirectory: URL

    public init(importer: CSVImporter, imports: ImportStore, files: ImportFileStore, temporaryDirectory: URL) {
        self.importer = importer
        self.imports = imports
        self.files = files
        self.temporaryDirectory = temporaryDirectory
    }

    public func run(_ job: Job) async throws {
        let arguments = try job.arguments(Arguments.self)
        // A retry after the outcome was recorded (the worker died before the job was done) has nothing to do.
        let workspace = WorkspaceID(rawValue: arguments.workspace)
        if let record = try await imports.get(arguments.importID, in: workspace),
            record.status == .succeeded || record.status == .failed
        {
            try await files.delete(arguments.importID)
            return
        }
        let path = temporaryDirectory.appendingPathComponent("import-\(arguments.importID)-\(UUID().uuidString).csv")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await files.restore(arguments.importID, to: path)
        try await imports.update(arguments.importID, status: .running, summary: ImportSummary())
        var reader = try CSVReader.file(at: path)
        var pending: [(RowRejection, raw: String)] = []
        let summary: ImportSummary
        do {
            summary = try await importer.run(
                &reader,
                options: .init(
                    workspace: workspace, fileName: arguments.fileName,
                    actor: arguments.actor),
                onReject: { rejection, record in pending.append((rejection, raw: CSVWriter.line(record.fields))) },
                onProgress: { progress in
                    try await imports.addRejects(pending, to: arguments.importID)
                    pending.removeAll()
                    try await imports.update(arguments.importID, status: .running, summary: progress)
                })
        } catch let error as CSVImportError {
            // The file as a whole cannot be imported: trying again would not help.
            try await imports.update(
                arguments.importID, status: .failed, summary: ImportSummary(), error: error.description)
            try await files.delete(arguments.importID)
            return
        }
        try await imports.update(arguments.importID, status: .succeeded, summary: summary)
        try await files.delete(arguments.importID)
    }
}
