import App
import ArgumentParser
import Foundation
import Logging
import Pipeline
import Providers
import Storage

extension SourceCommand {
    struct Apollo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apollo",
            abstract: "Searches Apollo's people (free of credits) and adds those not yet known as leads.",
            discussion: """
                Options may be repeated; people matching any value of an option and every option are found. A \
                query matching more than Apollo shows (50,000) is split by seniority and company size so every \
                person is still reached. Run `leadgen enrich` afterwards for e-mails and last names.
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var workspaceOption: WorkspaceOption

        @Option(name: .customLong("title"), help: "A job title (similar titles match too).")
        var titles: [String] = []

        @Option(name: .customLong("location"), help: "Where the person lives: a city, state or country.")
        var locations: [String] = []

        @Option(name: .customLong("domain"), help: "The employer's domain.")
        var domains: [String] = []

        @Option(
            name: .customLong("seniority"),
            help: "owner, founder, c_suite, partner, vp, head, director, manager, senior, entry or intern.")
        var seniorities: [String] = []

        @Option(
            name: .customLong("employees"), help: "The employer's size as MIN,MAX (\"51,200\"; \"10001,\" has no top).")
        var employees: [String] = []

        @Option(help: "Words to match anywhere in the profile.")
        var keywords: String?

        @Option(help: "At most this many people.")
        var max: Int?

        @Option(help: "Tags the new leads.")
        var tag: [String] = []

        @Option(help: "Also saves the search under this name, to run again over the API.")
        var save: String?

        func validate() throws {
            for value in seniorities where !ApolloPeopleQuery.seniorities.contains(value) {
                throw ValidationError(
                    "--seniority: '\(value)' is not one of \(ApolloPeopleQuery.seniorities.joined(separator: ", "))")
            }
            for value in employees {
                let parts = value.split(separator: ",", omittingEmptySubsequences: false)
                guard parts.count == 2, Int(parts[0]) != nil, parts[1].isEmpty || Int(parts[1]) != nil else {
                    throw ValidationError("--employees: '\(value)' is not MIN,MAX such as 51,200")
                }
            }
            if let max, max < 1 { throw ValidationError("--max: expected a positive number") }
        }

        func run() async throws {
            let query = ApolloPeopleQuery(
                personTitles: titles.nilIfEmpty, personLocations: locations.nilIfEmpty,
                personSeniorities: seniorities.nilIfEmpty,
                organizationDomains: domains.map { $0.lowercased() }.nilIfEmpty,
                employeeRanges: employees.nilIfEmpty, keywords: keywords)
            let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
            try await runtime.run {
                let root = runtime.root()
                let workspace = try await root.stores.workspaces.findOrCreate(
                    slug: workspaceOption.workspace)
                let client: ApolloClient
                do {
                    client = try await root.registry.apollo(for: workspace.id)
                } catch let error as ProviderNotConfigured {
                    throw CommandFailure(error.description)
                }
                if let save {
                    _ = try await root.stores.savedSearches.create(
                        name: save, provider: "apollo",
                        query: String(decoding: try JSONEncoder().encode(query), as: UTF8.self), maxResults: max,
                        in: workspace.id)
                }
                let summary: SourcingSummary
                do {
                    summary = try await root.sourcing.run(
                        query, max: max, client: client, workspace: workspace.id, tags: tag, reference: "cli")
                } catch let error as ApolloError {
                    throw CommandFailure(error.description)
                }
                print(
                    "Apollo matches \(summary.totalEntries) people; looked at \(summary.found) in \(summary.calls) searches"
                )
                print("leads added: \(summary.added), already known: \(summary.known)")
                if summary.unreachable > 0 {
                    print("not reachable even split by seniority and company size: \(summary.unreachable)")
                }
            }
        }
    }
}
