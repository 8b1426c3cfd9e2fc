import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Storage

struct LeadsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists leads, newest first.")

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(name: .customLong("q"), help: "Searches name, e-mail, company and title.")
    var text: String?

    @Option(help: "Only leads with this status (new, enriched, contacted, replied, qualified, disqualified).")
    var status: String?

    @Option(help: "Only leads with this tag.")
    var tag: String?

    @Option(help: "How many to show.")
    var limit = 50

    func run() async throws {
        var query = LeadQuery()
        query.text = text
        query.tag = tag
        query.limit = max(1, min(limit, 1000))
        if let status {
            guard let value = LeadStatus(rawValue: status) else {
                throw ValidationError(
                    "--status: expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.status = value
        }
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard
                let workspace = try await root.stores.workspaces.find(
                    slug: workspaceOption.workspace)
            else { throw CommandFailure("no workspace '\(workspaceOption.workspace)'") }
            let page = try await root.stores.leads.list(
                query, in: workspace.id)
            let rows = page.leads.map { lead in
                [
                    lead.id.rawValue, lead.fields.fullName ?? "", lead.fields.email?.value ?? "",
                    lead.fields.title ?? "",
                    lead.companyID.flatMap { page.companies[$0]?.fields.name } ?? "", lead.status.rawValue,
                ]
            }
            print(TextTable.render(header: ["ID", "NAME", "EMAIL", "TITLE", "COMPANY", "STATUS"], rows: rows))
            let total = try await root.stores.leads.count(
                in: workspace.id)
            print("\(page.leads.count) of \(total) leads")
        }
    }
}

/// Left-aligned columns for terminal output.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in min(40, all.map { $0[column].count }.max() ?? 0) }
        return all.map { row in
            row.enumerated().map { index, cell in
                let text = cell.count > widths[index] ? String(cell.prefix(widths[index] - 1)) + "…" : cell
                return text.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
