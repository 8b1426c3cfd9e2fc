import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct DedupeScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Lists pairs of records that are likely the same person, with the probability and why.",
        discussion: """
            Without --file it scans the workspace's leads and puts the pairs it lists in the review queue \
            (pairs marked "not a duplicate" are left out). With --file it scans any CSV file with a header \
            row, compared as --settings describes (a JSON file: fields with their comparison, blocking rules).
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Lists pairs at or above this match probability (default: the settings' threshold, 0.9).")
    var minProbability: Double?

    @Option(help: "Writes the pairs as CSV to this file instead of standard output.")
    var output: String?

    @Option(help: "Scans this CSV file instead of the workspace's leads.")
    var file: String?

    @Option(help: "With --file: the JSON linkage settings.")
    var settings: String?

    @Option(help: "With --file: the column that identifies a record.")
    var idColumn: String = "id"

    func validate() throws {
        if let minProbability, !(minProbability > 0 && minProbability < 1) {
            throw ValidationError("--min-probability must be between 0 and 1")
        }
        if file != nil, settings == nil { throw ValidationError("--file needs --settings") }
    }

    func run() async throws {
        if let file, let settings {
            let (table, linkage) = try load(file: file, settings: settings)
            let started = ContinuousClock.now
            let result = linkage.link(table, minimumProbability: minProbability ?? linkage.settings.threshold)
            try write(table, result.pairs, candidates: result.candidates, since: started)
            return
        }
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            let started = ContinuousClock.now
            let scan = try await root.deduplication.scan(
                workspace.id, minProbability: minProbability ?? LeadLinkage.defaultThreshold, record: true)
            try write(scan.table, scan.pairs, candidates: scan.candidates, since: started)
        }
    }

    private func write(
        _ table: LinkageTable, _ pairs: [RecordLinkage.Pair], candidates: Int, since started: ContinuousClock.Instant
    ) throws {
        let sink = try OutputSink(path: output)
        try sink.write(CSVWriter.line(["probability", "id_a", "id_b", "agreed"]))
        for pair in pairs {
            try sink.write(
                CSVWriter.line([
                    String(format: "%.6f", pair.probability), table.ids[pair.a], table.ids[pair.b],
                    pair.vector.agreements(table.fields).joined(separator: "; "),
                ]))
        }
        try sink.close()
        let seconds = (ContinuousClock.now - started).components.seconds
        FileHandle.standardError.write(
            Data("\(table.count) records, \(candidates) candidate pairs, \(pairs.count) listed (\(seconds) s)\n".utf8))
    }

    private func load(file: String, settings: String) throws -> (LinkageTable, RecordLinkage) {
        guard let json = FileManager.default.contents(atPath: settings) else {
            throw CommandFailure("--settings: cannot read \(settings)")
        }
        let parsed: LinkageSettings
        do { parsed = try LinkageSettings(json: json) } catch let error as LinkageSettingsError {
            throw CommandFailure("--settings: \(error)")
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw CommandFailure("--file: cannot read \(file)")
        }
        defer { try? handle.close() }
        var reader = CSVReader {
            let chunk = try handle.read(upToCount: 1 << 20)
            return chunk.map { Array($0) }
        }
        let (table, rejected) = try LinkageTable.read(&reader, idColumn: idColumn, fields: parsed.fields)
        for rejection in rejected.prefix(20) { FileHandle.standardError.write(Data("\(rejection)\n".utf8)) }
        if rejected.count > 20 {
            FileHandle.standardError.write(Data("… and \(rejected.count - 20) more rows rejected\n".utf8))
        }
        return (table, RecordLinkage(settings: parsed))
    }
}
