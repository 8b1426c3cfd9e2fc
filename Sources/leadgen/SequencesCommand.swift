import App
import ArgumentParser
import Foundation
import LeadgenCore
import Outreach
import Pipeline
import Storage

/// Outreach sequences: store definitions, list them, enrol leads, pause and resume them, preview them for a
/// lead, and show their statistics. A worker (`leadgen worker`, or `leadgen serve`) sends them.
struct SequencesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sequences",
        abstract: "Stores, lists, enrols leads in, pauses, resumes, previews and reports on outreach sequences.",
        subcommands: [Create.self, List.self, Enroll.self, Pause.self, Resume.self, Stats.self, Preview.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reads a sequence definition (JSON) and stores it; every problem is named by its path.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The definition file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("cannot read \(file)")
            }
            let definition: SequenceDefinition
            do { definition = try SequenceDefinition(json: data) } catch {
                throw CommandFailure(
                    "\(file):\n"
                        + error.problems.map { "  \($0.path.isEmpty ? "(top)" : $0.path): \($0.message)" }
                        .joined(separator: "\n"))
            }
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let stored = try await root.stores.sequences.create(
                    name: definition.name, definition: String(decoding: data, as: UTF8.self), in: workspace.id)
                print("sequence \(stored.id): \(stored.name), \(definition.steps.count) steps")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the workspace's sequences.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                let rows = try await root.stores.sequences.list(in: workspace.id).map {
                    [$0.id, $0.name, $0.status.rawValue]
                }
                print(TextTable.render(header: ["ID", "NAME", "STATUS"], rows: rows))
            }
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Enrols leads by id, tag or filter; those the sequence cannot or may not reach are listed with why.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String
        @Option(name: .customLong("lead"), help: "A lead's id (repeat for several).") var leads: [String] = []
        @Option(help: "Every lead with this tag.") var tag: String?
        @Option(help: "Every lead with this status (with the other filters).") var status: String?
        @Option(help: "Every lead in this country (name or ISO code).") var country: String?
        @Option(help: "Every lead of the company with this domain.") var companyDomain: String?

        var hasFilter: Bool { tag != nil || status != nil || country != nil || companyDomain != nil }

        func validate() throws {
            if leads.isEmpty == !hasFilter {
                throw ValidationError(
                    "give --lead, or filters (--tag, --status, --country, --company-domain), not both")
            }
            if let status, LeadStatus(rawValue: status) == nil {
                throw ValidationError(
                    "--status: expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let country, Country(country) == nil {
                throw ValidationError("--country: '\(country)' is not an ISO 3166 country name or code")
            }
            if let companyDomain, (try? Domain(parsing: companyDomain)) == nil {
                throw ValidationError("--company-domain: '\(companyDomain)' is not a domain")
            }
        }

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                guard let sequence = try await root.stores.sequences.get(id, in: workspace.id) else {
                    throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)")
                }
                let service = root.enrollment
                var enrolled = 0
                var skipped: [EnrollmentService.Skipped] = []
                var missing: [String] = []
                if hasFilter {
                    // Page by page, so a tag or a filter of any size is enrolled whole.
                    var query = LeadQuery()
                    query.tag = tag
                    query.status = status.flatMap(LeadStatus.init(rawValue:))
                    query.country = country.flatMap { Country($0) }
                    query.companyDomain = companyDomain.flatMap { try? Domain(parsing: $0) }
                    query.limit = 1000
                    while true {
                        let page = try await root.stores.leads.list(query, in: workspace.id)
                        let outcome = try await service.enroll(page.leads, in: sequence)
                        enrolled += outcome.enrolled.count
                        skipped += outcome.skipped
                        guard let next = page.nextCursor else { break }
                        query.cursor = next
                    }
                } else {
                    let found = try await root.stores.leads.get(leads.map { LeadID(rawValue: $0) }, in: workspace.id)
                    let known = Set(found.map(\.id.rawValue))
                    missing = leads.filter { !known.contains($0) }
                    let outcome = try await service.enroll(found, in: sequence)
                    enrolled = outcome.enrolled.count
                    skipped = outcome.skipped
                }
                print("enrolled: \(enrolled), left out: \(skipped.count + missing.count)")
                for skipped in skipped.prefix(1000) { print("  \(skipped.leadID.rawValue): \(skipped.reason)") }
                for id in missing { print("  \(id): not_found") }
            }
        }
    }

    static func setStatus(
        _ status: StoredSequence.Status, _ id: String, _ options: GlobalOptions, _ workspace: WorkspaceOption
    ) async throws {
        try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
            guard try await root.stores.sequences.setStatus(id, status, in: workspace.id) != nil else {
                throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)")
            }
            print("sequence \(id) \(status == .paused ? "paused" : "resumed")")
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pauses a sequence.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String

        func run() async throws { try await SequencesCommand.setStatus(.paused, id, options, workspace) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resumes a sequence.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String

        func run() async throws { try await SequencesCommand.setStatus(.active, id, options, workspace) }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints every step of a sequence as one lead would get it (JSON).")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "The sequence's id.") var id: String
        @Option(help: "The lead's id.") var lead: String
        @Option(help: "The sender's name.") var senderName = "[sender name]"
        @Option(help: "The sender's e-mail.") var senderEmail = "[sender e-mail]"
        @Option(help: "The sender's postal address.") var senderAddress = "[sender postal address]"

        func run() async throws {
            try await ScenarioCommand.withRoot(options, workspace) { root, workspace in
                guard let stored = try await root.stores.sequences.get(id, in: workspace.id),
                    let definition = try? SequenceDefinition(json: Data(stored.definition.utf8))
                else { throw CommandFailure("no sequence \(id) in workspace \(workspace.slug)") }
                guard let found = try await root.stores.leads.get(LeadID(rawValue: lead), in: workspace.id) else {
                    throw CommandFailure("no lead \(lead) in workspace \(workspace.slug)")
                }
                let company = try await found.companyID.asyncFlatMap {
                    try await root.stores.companies.get($0, in: workspace.id)
                }
                let preview = SequencePreview(
                    definition, lead: found, company: company,
                    sender: Sender(name: senderName, email: senderEmail, physicalAddress: senderAddress))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(preview), as: UTF8.self))
            }
        }
    }
}
