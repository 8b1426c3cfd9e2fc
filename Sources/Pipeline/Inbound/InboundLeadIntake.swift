import Foundation
import LeadgenCore
import Storage

/// Turns what a form tool posted to an inbound webhook into leads: each record's fields are mapped as a CSV
/// row with the hook's mapping (recognized names, the hook's own column mapping, unknown names kept as
/// custom fields, the hook's tags) and merged like any other record, so a second post of the same person
/// changes nothing and a richer one fills the gaps.
public struct InboundLeadIntake: Sendable {
    let hooks: InboundHookStore
    let ingestor: LeadIngestor

    /// Records per request.
    public static let maxRecords = 100

    public init(hooks: InboundHookStore, ingestor: LeadIngestor) {
        self.hooks = hooks
        self.ingestor = ingestor
    }

    /// What became of one posted record.
    public enum Outcome: Sendable, Equatable {
        case ingested(IngestOutcome)
        case rejected(String)
    }

    /// Maps and merges the records, in order, in one transaction; one outcome per record.
    public func receive(_ records: [[(name: String, value: String)]], through hook: InboundHook) async throws
        -> [Outcome]
    {
        var outcomes: [Outcome?] = Array(repeating: nil, count: records.count)
        var items: [(index: Int, item: IngestItem)] = []
        for (index, fields) in records.enumerated() {
            let mapper = LeadRowMapper(header: fields.map(\.name), mapping: hook.mapping)
            guard mapper.recognizesAnyIdentity else {
                outcomes[index] = .rejected(
                    "no field identifies a person (an e-mail, a LinkedIn URL, an Apollo id or a name); fields: "
                        + fields.prefix(12).map(\.name).joined(separator: ", "))
                continue
            }
            switch mapper.map(CSVRecord(fields: fields.map(\.value), line: index + 1)) {
            case .success(let input):
                items.append(
                    (
                        index,
                        IngestItem(
                            input: input,
                            source: LeadSourceRef(kind: "webhook", reference: hook.name, locator: hook.id))
                    ))
            case .failure(let rejection):
                outcomes[index] = .rejected(rejection.reason)
            }
        }
        let ingested = try await ingestor.ingest(items.map(\.item), into: hook.workspaceID, actor: "webhook")
        for (position, outcome) in ingested.enumerated() { outcomes[items[position].index] = .ingested(outcome) }
        try await hooks.recordReceived(hook.id, count: records.count)
        return outcomes.map { $0 ?? .rejected("not read") }
    }
}
