import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage
import WebApp

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
                for lead in page.leads {
                    let dto = LeadDTO(lead, company: lead.companyID.flatMap { page.companies[$0] })
                    switch format {
                    case .csv: try sink.write(CSVWriter.line(LeadCSVRow.fields(dto)))
                    case .jsonl: try sink.write(String(decoding: try encoder.encode(dto), as: UTF8.self) + "\n")
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

/// The columns of the CSV export: the lead's fields, then its company's.
enum LeadCSVRow {
    static let header = [
        "id", "status", "first_name", "last_name", "title", "seniority", "departments", "email", "email_status",
        "other_emails", "phones", "linkedin_url", "city", "state", "country", "time_zone", "owner", "tags",
        "apollo_person_id", "apollo_contact_id", "company_name", "company_domain", "company_linkedin_url",
        "company_industry", "company_employee_count", "created_at", "updated_at",
    ]

    static func fields(_ lead: LeadDTO) -> [String] {
        [
            lead.id, lead.status, lead.firstName ?? "", lead.lastName ?? "", lead.title ?? "", lead.seniority ?? "",
            lead.departments.joined(separator: ", "), lead.email ?? "", lead.emailStatus ?? "",
            lead.otherEmails.joined(separator: ", "), lead.phones.map { $0.e164 ?? $0.raw }.joined(separator: ", "),
            lead.linkedinUrl ?? "", lead.city ?? "", lead.state ?? "", lead.country ?? "", lead.timeZone ?? "",
            lead.owner ?? "", lead.tags.joined(separator: ", "), lead.apolloPersonId ?? "", lead.apolloContactId ?? "",
            lead.company?.name ?? "", lead.company?.domain ?? "", lead.company?.linkedinUrl ?? "",
            lead.company?.industry ?? "", lead.company?.employeeCount.map(String.init) ?? "",
            lead.createdAt.formatted(.iso8601), lead.updatedAt.formatted(.iso8601),
        ]
    }
}
