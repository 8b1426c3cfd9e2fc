import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct LeadsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Imports a CSV file of people (an Apollo export or any CSV with a header line), or a vCard file.",
        discussion: """
            Duplicates are merged into one lead per person. Each rejected row is reported with its line number \
            and written to FILE.rejects.csv with the reason. A file ending in .vcf is read as vCards (4.0, 3.0 \
            or 2.1), one lead a card. Exits non-zero only when the file as a whole cannot be read.
            """)

    /// The largest vCard file read (it is read whole).
    static let maxVCardBytes = 64 * 1024 * 1024

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Argument(help: "The CSV file, or a .vcf file of vCards.")
    var file: String

    @Option(
        help: "A JSON mapping: {\"columns\": {\"Header\": \"field\"}, \"default_country\": \"US\", \"tags\": [...]}.")
    var mapping: String?

    @Flag(help: "Reads and checks every row, writes nothing.")
    var dryRun = false

    @Flag(
        help: """
            Then looks for leads that are likely the same person with no key in common (record linkage, as \
            `dedupe scan` does) and queues the pairs for review instead of leaving them unnoticed.
            """)
    var checkDuplicates = false

    func run() async throws {
        if file.lowercased().hasSuffix(".vcf") { return try await importVCards() }
        let mapping = try loadMapping()
        var reader: CSVReader
        do { reader = try CSVReader.file(at: file) } catch { throw CommandFailure("\(error)") }
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        let (summary, duplicates) = try await runtime.run {
            let root = runtime.root()
            let workspace = try await root.stores.workspaces
                .findOrCreate(
                    slug: workspaceOption.workspace)
            let importer = CSVImporter(
                ingestor: root.stores.ingestor)
            let rejects = RejectsFile(path: file + ".rejects.csv")
            let progress = ProgressReporter()
            let fileName = URL(fileURLWithPath: file).lastPathComponent
            do {
                let summary = try await importer.run(
                    &reader,
                    options: .init(
                        workspace: workspace.id, fileName: fileName, mapping: mapping, dryRun: dryRun, actor: "cli"),
                    onReject: { rejection, record in
                        progress.message("line \(rejection.line): \(rejection.reason)")
                        try rejects.write(rejection, record)
                    },
                    onProgress: { progress.report($0) })
                progress.finish()
                try rejects.close()
                guard checkDuplicates, !dryRun else { return (summary, nil as Int?) }
                let scan = try await root.deduplication.scan(
                    workspace.id, minProbability: LeadLinkage.defaultThreshold, record: true)
                return (summary, scan.pairs.count)
            } catch let error as CSVImportError {
                throw CommandFailure("\(file): \(error)")
            }
        }
        let prefix = dryRun ? "dry run (nothing written): " : ""
        print(
            "\(prefix)rows read: \(summary.rowsRead), leads created: \(summary.leadsCreated), "
                + "merged: \(summary.leadsMerged), unchanged: \(summary.rowsUnchanged), rejected: \(summary.rowsRejected)"
        )
        if summary.rowsRejected > 0 { print("rejected rows written to \(file).rejects.csv") }
        if let duplicates {
            print(
                "likely duplicates queued for review: \(duplicates) pair(s) "
                    + "(the dashboard's Duplicates page, or `leadgen dedupe merge`)")
        }
    }

    /// Reads a .vcf file's cards into leads through the normal merge.
    private func importVCards() async throws {
        if mapping != nil { throw CommandFailure("--mapping applies to CSV files; a vCard's fields are its own") }
        if checkDuplicates {
            throw CommandFailure("--check-duplicates applies to CSV files; run `leadgen dedupe scan`")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
        guard let size else { throw CommandFailure("cannot read \(file)") }
        guard size <= Self.maxVCardBytes else {
            throw CommandFailure("\(file) is \(size) bytes; vCard files of up to \(Self.maxVCardBytes) bytes are read")
        }
        guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure("cannot read \(file)") }
        let text = String(decoding: data, as: UTF8.self)
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        let summary = try await runtime.run {
            let root = runtime.root()
            let workspace = try await root.stores.workspaces.findOrCreate(slug: workspaceOption.workspace)
            let rejects = RejectsFile(path: file + ".rejects.csv")
            let progress = ProgressReporter()
            let summary = try await VCardImporter(ingestor: root.stores.ingestor).run(
                text, workspace: workspace.id, fileName: URL(fileURLWithPath: file).lastPathComponent, dryRun: dryRun,
                actor: "cli",
                onReject: { rejection in
                    progress.message("line \(rejection.line): \(rejection.reason)")
                    try rejects.write(rejection, CSVRecord(fields: [], line: rejection.line))
                })
            try rejects.close()
            return summary
        }
        let prefix = dryRun ? "dry run (nothing written): " : ""
        print(
            "\(prefix)cards read: \(summary.rowsRead), leads created: \(summary.leadsCreated), "
                + "merged: \(summary.leadsMerged), unchanged: \(summary.rowsUnchanged), rejected: \(summary.rowsRejected)"
        )
        if summary.rowsRejected > 0 { print("rejected cards written to \(file).rejects.csv") }
    }

    private func loadMapping() throws -> ImportMapping {
        guard let mapping else { return ImportMapping() }
        guard let data = FileManager.default.contents(atPath: mapping) else {
            throw CommandFailure("--mapping: cannot read \(mapping)")
        }
        do { return try ImportMapping.decode(json: data) } catch {
            throw CommandFailure("--mapping \(mapping): \(error)")
        }
    }
}

/// Writes rejected rows beside the input, created on the first reject: line, reason, then the row as read.
final class RejectsFile {
    let path: String
    private var handle: FileHandle?

    init(path: String) {
        self.path = path
        try? FileManager.default.removeItem(atPath: path)
    }

    func write(_ rejection: RowRejection, _ record: CSVRecord) throws {
        if handle == nil {
            let header = Data(CSVWriter.line(["line", "reason", "row"]).utf8)
            guard FileManager.default.createFile(atPath: path, contents: header),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw CommandFailure("cannot write \(path)") }
            self.handle = handle
            try handle.seekToEnd()
        }
        let line = CSVWriter.line([String(rejection.line), rejection.reason] + record.fields)
        try handle?.write(contentsOf: Data(line.utf8))
    }

    func close() throws { try handle?.close() }
}

/// Prints progress to standard error for imports that run longer than a couple of seconds; it measures
/// elapsed time on a monotonic clock.
final class ProgressReporter {
    private let start = ContinuousClock.now
    private var lastReport = ContinuousClock.now
    private var reported = false
    /// A progress line is on screen without its line break.
    private var lineOpen = false

    /// Prints a message on a line of its own, below any progress line.
    func message(_ text: String) {
        let prefix = lineOpen ? "\n" : ""
        lineOpen = false
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
    }

    func report(_ summary: ImportSummary) {
        let now = ContinuousClock.now
        let elapsed = start.duration(to: now)
        guard elapsed > .seconds(2), lastReport.duration(to: now) >= .seconds(1) else { return }
        lastReport = now
        reported = true
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(summary.rowsRead) / seconds
        FileHandle.standardError.write(Data("\rrows read: \(summary.rowsRead) (\(Int(rate)) rows/s)   ".utf8))
        lineOpen = true
    }

    func finish() {
        if reported && lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
        lineOpen = false
    }
}
