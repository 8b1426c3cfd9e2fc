import Foundation
import LeadgenCore
import Storage

/// Imports a vCard file (an address book's export, a phone's contacts) through the normal merge: each card
/// becomes a lead as `VCardReader` reads it, merged in batches like a CSV import's rows, its source the file
/// and the card's first line. A card that names nobody is reported with its line, and the rest go on.
public struct VCardImporter: Sendable {
    let ingestor: LeadIngestor
    let batchSize: Int

    public init(ingestor: LeadIngestor, batchSize: Int = 1000) {
        self.ingestor = ingestor
        self.batchSize = batchSize
    }

    public func run(
        _ text: String, workspace: WorkspaceID, fileName: String, dryRun: Bool = false, actor: String? = nil,
        onReject: (RowRejection) async throws -> Void = { _ in }
    ) async throws -> ImportSummary {
        var summary = ImportSummary()
        var items: [IngestItem] = []
        for card in VCardReader.cards(in: text) {
            summary.rowsRead += 1
            switch VCardReader.input(card) {
            case .success(let input):
                items.append(
                    IngestItem(
                        input: input,
                        source: LeadSourceRef(kind: "vcard", reference: fileName, locator: String(card.line))
                    ))
            case .failure(let rejection):
                summary.rowsRejected += 1
                try await onReject(rejection)
            }
        }
        guard !dryRun else { return summary }
        var start = 0
        while start < items.count {
            let batch = Array(items[start..<min(start + batchSize, items.count)])
            for outcome in try await ingestor.ingest(batch, into: workspace, actor: actor) {
                switch outcome {
                case .created: summary.leadsCreated += 1
                case .merged: summary.leadsMerged += 1
                case .unchanged: summary.rowsUnchanged += 1
                }
            }
            start += batchSize
        }
        return summary
    }
}
