import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct LeadsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Exports every lead of a workspace as CSV or JSON Lines.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, jsonl }

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "csv, or jsonl: one lead object per line with its normalized fields and company.")
    var format: Format = .csv

    @Option(help: "Writes to this file instead of standard output.")
    var output: String?

    func run() async throws {
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard
                let workspace = try await root.stores.workspaces.find(
                    slug: workspaceOption.workspace)
            else { throw CommandFailure("no workspace '\(workspaceOption.workspace)'") }
            let sink = try OutputSink(path: output)
            let store = root.stores.leads
            var query = LeadQuery()
            query.descending = false
            query.limit = 1000
            if format == .csv { try sink.write(CSVWriter.line(LeadCSVRow.header)) }
            let encoder = JSONEncoder.api
            repeat {
                let page = try await store.list(query, in: workspace.id)
                let verifications =
                    format == .csv
                    ? try await root.stores.emailVerifications.find(
                        page.leads.compactMap { $0.fields.email?.value }, in: workspace.id) : [:]
                for lead in page.leads {
                    let company = lead.companyID.flatMap { page.companies[$0] }
                    switch format {
                    case .csv:
                        let verification = lead.fields.email.flatMap { verifications[$0.value] }?.verification
                        try sink.write(
                            CSVWriter.line(LeadCSVRow.fields(lead, company: company, verification: verification)))
                    case .jsonl:
                        let dto = LeadDTO(lead, company: company)
                        try sink.write(String(decoding: try encoder.encode(dto), as: UTF8.self) + "\n")
                    }
                }
                query.cursor = page.nextCursor
            } while query.cursor != nil
            try sink.close()
        }
    }
}

/// Standard output or a file.
final class OutputSink {
    private let handle: FileHandle
    private let ownsHandle: Bool

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw CommandFailure("--output: cannot write \(path)") }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = .standardOutput
            ownsHandle = false
        }
    }

    func write(_ text: String) throws { try handle.write(contentsOf: Data(text.utf8)) }

    func close() throws { if ownsHandle { try handle.close() } }
}
