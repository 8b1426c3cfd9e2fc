import Foundation
import LeadgenCore
import Logging
import Storage

/// Streams a CSV file of people into the lead store: maps and normalizes each row, merges duplicates on
/// ingest in batches, and reports each rejected row without stopping.
public struct CSVImporter: Sendable {
    let ingestor: LeadIngestor
    let batchSize: Int

    public init(ingestor: LeadIngestor, batchSize: Int = 2000) {
        self.ingestor = ingestor
        self.batchSize = batchSize
    }

    public struct Options: Sendable {
        public var workspace: WorkspaceID
        /// The name the file is known by in lead provenance ("apollo-export.csv").
        public var fileName: String
        public var mapping: ImportMapping
        /// Reads and checks every row but writes nothing.
        public var dryRun: Bool
        public var actor: String?

        public init(
            workspace: WorkspaceID, fileName: String, mapping: ImportMapping = ImportMapping(), dryRun: Bool = false,
            actor: String? = nil
        ) {
            self.workspace = workspace
            self.fileName = fileName
            self.mapping = mapping
            self.dryRun = dryRun
            self.actor = actor
        }
    }

    /// Imports every record `reader` yields. `onReject` receives each rejected row with its record;
    /// `onProgress` the running summary after each batch. Throws only when the file as a whole cannot be read.
    public func run(
        _ reader: inout CSVReader, options: Options,
        onReject: (RowRejection, CSVRecord) async throws -> Void = { _, _ in },
        onProgress: (ImportSummary) async throws -> Void = { _ in }
    ) async throws -> ImportSummary {
        guard let header = try reader.next() else { throw CSVImportError.empty }
        if let problem = header.problem { throw CSVImportError.unreadableHeader(problem.description) }
        let mapper = LeadRowMapper(header: header.fields, mapping: options.mapping)
        guard mapper.recognizesAnyIdentity else { throw CSVImportError.noIdentityColumns(header.fields) }

        var summary = ImportSummary()
        var batch: [IngestItem] = []
        batch.reserveCapacity(batchSize)
        // While one batch is written, the next is read and normalized: the two halves use both cores.
        var writing: Task<[IngestOutcome], any Error>?
        do {
            while let record = try reader.next() {
                summary.rowsRead += 1
                switch mapper.map(record) {
                case .success(let input):
                    batch.append(IngestItem(input: input, source: .csv(file: options.fileName, line: record.line)))
                case .failure(let rejection):
                    summary.rowsRejected += 1
                    try await onReject(rejection, record)
                }
                if batch.count == batchSize {
                    try await count(writing, into: &summary)
                    writing = write(batch, options: options)
                    batch.removeAll(keepingCapacity: true)
                    try await onProgress(summary)
                }
            }
            try await count(writing, into: &summary)
            writing = nil
            try await count(write(batch, options: options), into: &summary)
        } catch {
            writing?.cancel()
            _ = try? await writing?.value
            throw error
        }
        try await onProgress(summary)
        return summary
    }

    /// Starts writing a batch; nil when there is nothing to write.
    private func write(_ batch: [IngestItem], options: Options) -> Task<[IngestOutcome], any Error>? {
        guard !batch.isEmpty, !options.dryRun else { return nil }
        return Task { [ingestor] in try await ingestor.ingest(batch, into: options.workspace, actor: options.actor) }
    }

    private func count(_ writing: Task<[IngestOutcome], any Error>?, into summary: inout ImportSummary) async throws {
        guard let writing else { return }
        for outcome in try await writing.value {
            switch outcome {
            case .created: summary.leadsCreated += 1
            case .merged: summary.leadsMerged += 1
            case .unchanged: summary.rowsUnchanged += 1
            }
        }
    }
}

/// Why a whole file could not be imported.
public enum CSVImportError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unreadableHeader(String)
    case noIdentityColumns([String])

    public var description: String {
        switch self {
        case .empty: "the file is empty: a header line is expected"
        case .unreadableHeader(let problem): "the header line cannot be read: \(problem)"
        case .noIdentityColumns(let header):
            "the header names no column that identifies a person (an e-mail, LinkedIn URL, Apollo id or name); "
                + "found: \(header.prefix(12).joined(separator: ", ")). Use --mapping to say which column is which"
        }
    }
}
